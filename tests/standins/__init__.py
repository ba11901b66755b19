"""Loopback stand-ins for the services synbot talks to (GitLab, LLM providers)."""
