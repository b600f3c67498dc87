#!/usr/bin/env python3
"""Bounded mutation fuzzing of every reader, outside the default test run.

    python benchmarks/fuzz_readers.py                  # 3,000 runs per reader
    python benchmarks/fuzz_readers.py --runs 20000 --seconds 600 --jobs 2
    python benchmarks/fuzz_readers.py --atheris --runs 20000 --seconds 120   # coverage-guided

Each reader gets the fixture files with its suffix (tests/fixtures/inbox, broken,
hostile and the Cambourne example) as seeds, and reads mutated copies of them:
bit flips, bytes overwritten, inserted and deleted, chunks repeated, cut short,
spliced with another seed, and "interesting" values (0, 0xFF, 0x7FFFFFFF) written
over lengths; a .docx mostly has one part mutated and is zipped again. A run passes when the reader returns a document (which is then
extracted and cleaned) or raises ReadError; anything else is a crash, saved under
benchmarks/fuzz-crashes/ with its traceback, and so is a Python warning that escapes
the reader or a log line at WARNING or above (the clerk would see either printed). A run that takes longer than
--timeout seconds is reported as a hang. The mutations are seeded: the same
arguments give the same inputs. Readers are called directly, not through
read_file, whose safety net would hide a crash.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import logging
import multiprocessing
import random
import signal
import sys
import time
import traceback
import warnings
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIRS = [
    ROOT / "tests/fixtures/inbox",
    ROOT / "tests/fixtures/broken",
    ROOT / "tests/fixtures/hostile",
    ROOT / "examples/cambourne-2022-07/inbox",
]
SUFFIXES = [".eml", ".msg", ".html", ".txt", ".pdf", ".docx"]
CRASHES = Path(__file__).resolve().parent / "fuzz-crashes"
MAX_SEED = 200_000  # bigger seeds (the bombs) make each run slow without finding more
INTERESTING = [
    b"\x00",
    b"\xff",
    b"\x7f",
    b"\x80",
    b"\xff\xff\xff\x7f",
    b"\x00\x00\x00\x80",
    b"\xff\xff\xff\xff",
    b"0",
    b"-1",
    b"99999999999",
    b"<",
    b">",
    b"\n",
    b"\r\n",
    b"=?",
    b"--",
    b"%%EOF",
    b"obj",
    b"stream",
    b"PK\x03\x04",
    b"<!DOCTYPE x>",
]


class Hang(Exception):
    """A run took longer than the timeout."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def seeds(suffix: str) -> list[bytes]:
    """The fixture files read by *suffix*'s reader, small enough to mutate quickly."""
    found = []
    for folder in SEED_DIRS:
        for path in sorted(folder.glob(f"*{suffix}")):
            if path.is_file() and 0 < path.stat().st_size <= MAX_SEED:
                found.append(path.read_bytes())
    return found


def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """Return *data* with one to eight random mutations."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(8)
        n = len(buf)
        at = rng.randrange(n + 1)
        if op == 0 and n:  # flip a bit
            i = rng.randrange(n)
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and n:  # overwrite bytes
            buf[at : at + 4] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        elif op == 2:  # insert bytes
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 3 and n:  # delete a run
            del buf[at : at + rng.randint(1, 64)]
        elif op == 4 and n:  # repeat a chunk
            chunk = buf[at : at + rng.randint(1, 256)]
            buf[at:at] = chunk * rng.randint(2, 16)
        elif op == 5 and n:  # cut short
            del buf[rng.randrange(n) :]
        elif op == 6 and others:  # splice with another seed
            other = rng.choice(others)
            j = rng.randrange(len(other) + 1)
            buf[at:] = other[j : j + rng.randint(1, 4096)]
        else:  # an interesting value
            buf[at : at + 4] = rng.choice(INTERESTING)
    return bytes(buf)


def mutate_zip(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """Mutate one member of a zip and zip it again: a byte-level mutation of a zip
    almost always fails its CRC check, so the XML inside would never be reached."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    except Exception:
        return mutate(data, rng, others)
    if not members:
        return mutate(data, rng, others)
    i = rng.randrange(len(members))
    name, content = members[i]
    members[i] = (name, mutate(content, rng, [m[1] for m in members]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members:
            zf.writestr(name, content)
    return out.getvalue()


def fuzz(suffix: str, runs: int, seconds: float, timeout: int, seed: int) -> dict[str, object]:
    """Fuzz one reader; return its counts and the crashes it found."""
    from council_papers.config import Config
    from council_papers.errors import ReadError
    from council_papers.extract import extract
    from council_papers.limits import Limits, applied
    from council_papers.pipeline import Stages
    from council_papers.read import _reader, check_content

    knowledge = Stages.load(Config()).knowledge
    reader = _reader(suffix)
    pool = seeds(suffix)
    rng = random.Random(f"{seed}{suffix}")
    path = Path(f"fuzz{suffix}")
    counts: collections.Counter[str] = collections.Counter()
    crashes: dict[str, str] = {}
    logged: list[str] = []  # what a clerk's terminal would show: log lines at WARNING and up

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(f"{record.name}: {record.getMessage()[:200]}")

    logging.getLogger().addHandler(Keep(logging.WARNING))
    signal.signal(signal.SIGALRM, _alarm)
    deadline = time.monotonic() + seconds
    done = 0
    while done < runs and time.monotonic() < deadline:
        seed_data = rng.choice(pool)
        if suffix == ".docx" and rng.random() < 0.8:
            data = mutate_zip(seed_data, rng, pool)
        else:
            data = mutate(seed_data, rng, pool)
        done += 1
        signal.alarm(timeout)
        logged.clear()
        try:
            with warnings.catch_warnings(record=True) as leaked:
                warnings.simplefilter("always")
                check_content(path, data)
                with applied(Limits()):
                    raw = reader(path, data)
                extract(raw, knowledge)
            counts["read"] += 1
            if leaked:  # a library warning the clerk would see printed: also a finding
                counts["warning"] += 1
                _save(
                    suffix,
                    data,
                    f"leaked {leaked[0].category.__name__}: {leaked[0].message}",
                    crashes,
                )

        except ReadError:
            counts["refused"] += 1
        except Hang:
            counts["hang"] += 1
            _save(suffix, data, "hang", crashes)
        except Exception as err:
            counts["crash"] += 1
            where = traceback.extract_tb(err.__traceback__)[-1]
            signature = f"{type(err).__name__} at {Path(where.filename).name}:{where.lineno}"
            _save(suffix, data, signature + "\n" + traceback.format_exc(), crashes)
        finally:
            signal.alarm(0)
        if logged:  # read or refused, the line would have been printed
            counts["warning"] += 1
            _save(suffix, data, f"logged {logged[0]}", crashes)
    return {"reader": suffix, "runs": done, "seeds": len(pool), **counts, "crashes": crashes}


def _save(suffix: str, data: bytes, report: str, crashes: dict[str, str]) -> None:
    signature = report.split("\n", 1)[0]
    if signature in crashes:
        return
    CRASHES.mkdir(exist_ok=True)
    name = hashlib.sha256(data).hexdigest()[:12] + suffix
    (CRASHES / name).write_bytes(data)
    (CRASHES / f"{name}.txt").write_text(report, encoding="utf-8")
    crashes[signature] = name


def atheris_child(suffix: str, runs: int, seconds: float, timeout: int) -> None:
    """Coverage-guided fuzzing of one reader with atheris (libFuzzer); stops at a crash."""
    import tempfile

    import atheris

    from council_papers.errors import ReadError
    from council_papers.limits import Limits, applied
    from council_papers.read import _reader, check_content

    reader = _reader(suffix)  # imports the reader and its libraries before instrumenting
    atheris.instrument_all()
    corpus = Path(tempfile.mkdtemp(prefix=f"fuzz{suffix}-"))
    for n, data in enumerate(seeds(suffix)):
        (corpus / f"seed{n}").write_bytes(data)
    path = Path(f"fuzz{suffix}")

    def one(data: bytes) -> None:
        try:
            check_content(path, data)
            with applied(Limits()):
                reader(path, data)
        except ReadError:
            pass

    CRASHES.mkdir(exist_ok=True)
    atheris.Setup(
        [
            sys.argv[0],
            str(corpus),
            f"-runs={runs}",
            f"-max_total_time={int(seconds)}",
            f"-timeout={timeout}",
            "-rss_limit_mb=3072",
            "-max_len=300000",
            f"-artifact_prefix={CRASHES}/atheris{suffix}-",
        ],
        one,
    )
    atheris.Fuzz()


def run_atheris(args: argparse.Namespace) -> int:
    """Run atheris on each reader in its own process; print runs and crashes."""
    import subprocess

    found = 0
    for suffix in args.readers:
        result = subprocess.run(
            [
                sys.executable,
                __file__,
                "--atheris-child",
                suffix,
                "--runs",
                str(args.runs),
                "--seconds",
                str(args.seconds),
                "--timeout",
                str(args.timeout),
            ],
            capture_output=True,
            text=True,
        )
        done = [ln for ln in result.stderr.splitlines() if ln.startswith("Done ")]
        crashed = result.returncode != 0
        found += crashed
        print(
            f"{suffix:<8}{done[-1] if done else '(no summary)'}"
            f"{'  CRASH: see benchmarks/fuzz-crashes/' if crashed else ''}"
        )
        if crashed:
            print("\n".join(result.stderr.splitlines()[-25:]))
    return 1 if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3000, help="runs per reader (default 3000)")
    parser.add_argument("--seconds", type=float, default=300, help="time limit per reader")
    parser.add_argument("--timeout", type=int, default=10, help="seconds before a run is a hang")
    parser.add_argument("--jobs", type=int, default=2, help="readers fuzzed at once")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--atheris",
        action="store_true",
        help="coverage-guided with atheris (pip install atheris) instead",
    )
    parser.add_argument("--atheris-child", help=argparse.SUPPRESS)
    parser.add_argument("readers", nargs="*", default=SUFFIXES, help="suffixes, e.g. .eml .pdf")
    args = parser.parse_args()
    if args.atheris_child:
        atheris_child(args.atheris_child, args.runs, args.seconds, args.timeout)
        return 0
    if args.atheris:
        return run_atheris(args)
    started = time.monotonic()
    jobs = [(s, args.runs, args.seconds, args.timeout, args.seed) for s in args.readers]
    with multiprocessing.Pool(args.jobs) as pool:
        results = pool.starmap(fuzz, jobs)
    print(
        f"{'reader':<8}{'seeds':>6}{'runs':>8}{'read':>8}{'refused':>9}{'crash':>7}{'hang':>6}"
        f"{'warning':>9}"
    )
    for r in results:
        print(
            f"{r['reader']:<8}{r['seeds']:>6}{r['runs']:>8}{r.get('read', 0):>8}"
            f"{r.get('refused', 0):>9}{r.get('crash', 0):>7}{r.get('hang', 0):>6}"
            f"{r.get('warning', 0):>9}"
        )
        for signature, name in r["crashes"].items():  # type: ignore[union-attr]
            print(f"    {signature.splitlines()[0]}  -> benchmarks/fuzz-crashes/{name}")
    print(f"{sum(r['runs'] for r in results)} runs in {time.monotonic() - started:.0f} s")  # type: ignore[misc]
    return 1 if any(r["crashes"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
