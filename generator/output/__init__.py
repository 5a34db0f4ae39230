"""Stage 6, output: the generated files → the output folder, and what changed in it.

Takes the files of a generation. Writes them atomically (write.py: a staging folder swapped
in, or nothing), compares them with what is there (diff.py), records what made them
(manifest.py: MANIFEST.json, which lets `check` answer without regenerating) and reports what
changed for the client's users between two surfaces (changes.py).
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
