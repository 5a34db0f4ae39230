"""Stage 5, layout: Python text as black (26.10, line length 88) lays it out.

Takes statements and modules the earlier stages produce. Gives their text in black's layout,
computed in Python where the shape is known: modules as templates render them, a statement a
line (rendered.py, with logical.py and linesplit.py; memo.py keeps them by content), the model
modules (model_modules.py, with linesplit.py) and the imports and docstrings render.py still lays
out (statements.py), all by black's shared rules (style.py).
Anything else goes through black itself (fallback.py), which also checks the computed layouts
when OPENAPI_CLIENT_GENERATOR_VERIFY_FORMAT is set.
"""

from .fallback import VERIFY_ENV, format_files
from .imports import import_block, sorted_names
from .memo import lay_out_module_cached
from .model_modules import Source as ModelSource
from .model_modules import docstring as docstring_lines
from .model_modules import lines_of as model_statement_lines
from .rendered import lay_out_module
from .statements import Layout, docstring_literal
from .style import LINE_LENGTH, Unsupported, from_import

__all__ = [
    "LINE_LENGTH",
    "VERIFY_ENV",
    "Layout",
    "ModelSource",
    "Unsupported",
    "docstring_lines",
    "docstring_literal",
    "format_files",
    "from_import",
    "import_block",
    "lay_out_module",
    "lay_out_module_cached",
    "model_statement_lines",
    "sorted_names",
]
