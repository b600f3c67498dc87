"""Allow ``python -m council_papers``."""

from __future__ import annotations

from council_papers.cli import main

if __name__ == "__main__":
    main()
