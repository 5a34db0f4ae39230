import os
from collections.abc import Mapping

from hypothesis import settings

from generator.layout.fallback import VERIFY_ENV

pytest_plugins = ["tests.support.fixtures", "tests.support.processes"]

# Every generation the tests run, in this process or in a child, also runs black over the files
# the generator laid out in black's style itself, and fails if black would change one of them.
os.environ.setdefault(VERIFY_ENV, "1")

# mypy writes its cache into the folder it runs in: the tests run it in generated/ and in the
# packages they generate, always with --no-incremental, and leave no cache there.
os.environ["MYPY_CACHE_DIR"] = os.devnull

# Hypothesis: in CI the same examples on every run, so that a failure is one anyone can reproduce
# (and print_blob prints how); locally new examples on every run, and the failing ones kept
# (.hypothesis/) and tried first next time. Tests that set max_examples themselves keep theirs.
PROFILE_ENV = "HYPOTHESIS_PROFILE"
settings.register_profile(
    "ci", derandomize=True, database=None, print_blob=True, max_examples=100, deadline=None
)
settings.register_profile("dev", derandomize=False, print_blob=True)


def hypothesis_profile(environ: Mapping[str, str]) -> str:
    """The profile a run uses: $HYPOTHESIS_PROFILE if set, else "ci" where $CI is set (GitHub
    Actions and most CI services set it; .ci/run sets HYPOTHESIS_PROFILE), else "dev"."""
    if environ.get(PROFILE_ENV):
        return environ[PROFILE_ENV]
    return "ci" if "CI" in environ else "dev"


# Loaded before any test module is imported: a @settings(...) takes what it leaves unset from
# the profile loaded when it is applied.
settings.load_profile(hypothesis_profile(os.environ))
