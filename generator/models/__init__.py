"""Stage 3, the models: the document's schemas → pydantic v2 model modules.

Takes the normalized document. Runs datamodel-code-generator on it (modules.py: the options,
its quirks kept here) over the schemas with nothing left in them that it would obey rather than
read (document.py; properties marked x-fern-ignore left out), catches what it says (said.py),
inlines the aliases it made up for constrained inline types (inline.py), and splits its one
module into a module per model or reference cycle, laid out as black would (layout/). Gives a `ModelSet`, with the
warnings to print. The step (step.py) is what a forked worker runs, so that its imports and
garbage stay out of the main process. After a spec update, given the previous step's snapshot,
it runs datamodel-code-generator only on what the changes reach and keeps the other modules
when that is shown to give what a whole run gives (closure.py, claims.py).
"""

from . import step
from .document import dcg_input, descriptions
from .modules import DCG_OPTIONS, ModelModule, ModelSet

__all__ = ["DCG_OPTIONS", "ModelModule", "ModelSet", "dcg_input", "descriptions", "step"]
