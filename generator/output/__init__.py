"""Stage 6, output: the generated files → the output folder, and what changed in it.

Takes the files of a generation. Gives them written to the output folder atomically (write.py:
a staging folder swapped in, or nothing), their differences from what is there (diff.py), the
record of what made them (manifest.py: MANIFEST.json, which lets `check` answer without
regenerating) and what changed for the client's users between two surfaces (changes.py).
"""

from . import manifest
from .changes import ChangeReport, between
from .diff import TreeDiff, diff_trees
from .write import read_tree, write_tree

__all__ = [
    "ChangeReport",
    "TreeDiff",
    "between",
    "diff_trees",
    "manifest",
    "read_tree",
    "write_tree",
]
