"""council-papers: police correspondence in, Police Matters agenda item, log and pack out."""

from __future__ import annotations

__version__ = "0.1.0"
