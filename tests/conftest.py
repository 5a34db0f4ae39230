import os

from generator.layout.fallback import VERIFY_ENV

pytest_plugins = ["tests.support.fixtures"]

# Every generation the tests run, in this process or in a child, also runs black over the files
# the generator laid out in black's style itself, and fails if black would change one of them.
os.environ.setdefault(VERIFY_ENV, "1")
