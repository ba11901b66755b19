"""Pure domain library for Elasticsearch synonym and typo dictionaries.

Nothing here touches the network, GitLab, the environment or the clock: functions take text
and return values, so the CLI, the CI check and the review service share one engine.
"""
