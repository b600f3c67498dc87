#!/usr/bin/env python3
"""Where inspect's time goes, per file format, next to the bare libraries' floor.

    python benchmarks/breakdown.py [--n 1000] [--seed 1]

Generates a corpus (benchmarks/generate.py), then times, for each format, our
reader, extraction, and the bare libraries reading the same files
(run.floor_read); then classification of all the items. Milliseconds per file.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
import run


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="items in the corpus (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    from council_papers.classify import classify_all
    from council_papers.config import load_config
    from council_papers.errors import ReadError
    from council_papers.extract import extract
    from council_papers.pipeline import Stages
    from council_papers.read import read_file

    run._warm(*run.OURS, *run.BARE)
    work = Path(tempfile.mkdtemp(prefix="council-breakdown-"))
    try:
        generate.generate(work / "corpus", args.n, seed=args.seed)
        files = run._files(work / "corpus")
        config = load_config(None)
        stages = Stages.load(config)
        read: collections.Counter[str] = collections.Counter()
        extracted: collections.Counter[str] = collections.Counter()
        floor: dict[str, float] = {}
        count: collections.Counter[str] = collections.Counter()
        records = []
        for path in files:
            suffix = path.suffix.lower()
            count[suffix] += 1
            start = time.perf_counter()
            try:
                raw = read_file(path, max_bytes=config.max_file_bytes, limits=config.limits)
            except ReadError:
                continue
            read[suffix] += time.perf_counter() - start
            start = time.perf_counter()
            records.append(extract(raw, stages.knowledge))
            extracted[suffix] += time.perf_counter() - start
        for suffix in count:  # the same files, one folder per format, read by the bare libraries
            folder = work / suffix.strip(".")
            folder.mkdir()
            for n, path in enumerate(p for p in files if p.suffix.lower() == suffix):
                (folder / f"{n:05d}{suffix}").symlink_to(path)
            start = time.perf_counter()
            run.floor_read(folder)
            floor[suffix] = time.perf_counter() - start
        start = time.perf_counter()
        classify_all(records, stages.ruleset)
        classified = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"{'format':8}{'files':>7}{'read ms':>10}{'floor ms':>10}{'read/floor':>12}{'extract ms':>12}"
    )
    for suffix in sorted(count, key=lambda s: -count[s]):
        n = count[suffix]
        print(
            f"{suffix:8}{n:7d}{read[suffix] / n * 1000:10.2f}{floor[suffix] / n * 1000:10.2f}"
            f"{read[suffix] / floor[suffix]:12.2f}{extracted[suffix] / n * 1000:12.2f}"
        )
    total = sum(count.values())
    r, f, e = sum(read.values()), sum(floor.values()), sum(extracted.values())
    print(
        f"{'all':8}{total:7d}{r / total * 1000:10.2f}{f / total * 1000:10.2f}{r / f:12.2f}"
        f"{e / total * 1000:12.2f}"
    )
    print(
        f"classify: {classified / len(records) * 1000:.2f} ms per item; "
        f"read + extract + classify = {(r + e + classified) / f:.2f}× the floor"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
