"""Contract tests: the generated client against Prism, which validates requests against the spec."""
