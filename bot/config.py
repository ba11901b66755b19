"""Settings: service settings from ``SYNBOT_*`` variables and the dictionary repo's ``.synbot.yml``.

``Settings`` is built once (in ``cli.py``) and passed in; nothing else reads the environment.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from synonyms.findings import Severity
from synonyms.rules import Kind

AnalyzerName = Literal["whitespace", "keyword", "standard", "russian"]
LLMProvider = Literal["none", "openai", "gigachat"]
Language = Literal["ru", "en"]

REPO_CONFIG_FILE = ".synbot.yml"


class Settings(BaseSettings):
    """Service settings; every field maps to ``SYNBOT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SYNBOT_", extra="ignore")

    gitlab_url: str = "https://gitlab.com"
    gitlab_token: SecretStr = SecretStr("")
    gitlab_ssl_verify: str = "true"  # "true", "false" or a path to a CA bundle
    webhook_secret: SecretStr = SecretStr("")
    project_allowlist: list[int] = Field(default_factory=list)
    projects: list[int] = Field(default_factory=list)  # projects the reconciler always watches
    max_body_bytes: int = 2 * 1024 * 1024
    max_threads: int = 50
    reconcile_interval_s: float = 300.0

    llm_provider: LLMProvider = "none"
    llm_base_url: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_model: str = ""
    llm_batch_size: int = 50
    llm_max_concurrency: int = 4
    llm_requests_per_minute: int = 600
    llm_timeout_s: float = 60.0
    llm_ca_bundle: str = ""
    llm_scope: str = "GIGACHAT_API_PERS"  # GigaChat OAuth scope
    llm_auth_url: str = "https://ngw.devices.sberbank.ru:9443/api/v2/oauth"
    llm_fallback_model: str = ""
    # the LLM engine (bot/llm/): cascade, budget, resilience, cache
    llm_vote_models: list[str] = Field(default_factory=list)  # low-confidence verdicts go to a vote
    llm_low_confidence: float = 0.6  # below this a verdict goes to the fallback model or the vote
    llm_min_confidence: float = 0.5  # below this a verdict is not reported
    llm_max_prompt_tokens: int = 6000  # token budget of one request (prompt + expected answer)
    llm_structured_output: bool = True  # ask OpenAI-compatible endpoints for JSON Schema output
    llm_retries: int = 4  # attempts per call on 429/5xx/timeouts
    llm_breaker_threshold: int = 3  # failed calls in a row before the circuit opens
    llm_breaker_cooldown_s: float = 60.0
    llm_client_id: str = ""  # GigaChat: client id + secret instead of the authorization key
    llm_client_secret: SecretStr = SecretStr("")
    llm_prompt_versions: dict[str, str] = Field(default_factory=dict)  # {"synonym_validation": "v1"}
    llm_cache_ttl_s: int = 30 * 24 * 3600  # Redis cache entries expire (SQLite keeps them)

    data_dir: Path = Path("var")
    redis_url: str = ""
    # the review service (bot/jobs.py, bot/web.py)
    queue_name: str = "synbot"  # huey queue name; also the Redis key prefix of the service state
    worker_threads: int = 2  # review threads per `synbot serve` / `synbot worker` process
    job_lease_s: float = 60.0  # one review per MR: lease renewed while the review runs
    bot_user_id: int | None = None  # the bot's GitLab user (its notes are ignored); else asked at start
    bot_username: str = ""

    @property
    def ssl_verify(self) -> bool | str:
        value = self.gitlab_ssl_verify.strip()
        if value.lower() in ("true", "1", "yes", ""):
            return True
        if value.lower() in ("false", "0", "no"):
            return False
        return value


class ElasticsearchAnalyze(BaseModel):
    """A real cluster's ``_analyze`` endpoint that replaces the built-in analyzers."""

    model_config = ConfigDict(extra="forbid")

    url: str  # e.g. http://es:9200/products/_analyze
    analyzer: str


class RepoConfig(BaseModel):
    """The dictionary repo's ``.synbot.yml``: which files are what, and how the index analyzes."""

    model_config = ConfigDict(extra="forbid")

    synonyms: list[str] = Field(default_factory=lambda: ["synonyms/**/*.txt"])
    typos: list[str] = Field(default_factory=lambda: ["typos/**/*.txt"])
    analyzer: AnalyzerName = "whitespace"
    expand: bool = True
    elasticsearch: ElasticsearchAnalyze | None = None
    language: Language = "ru"
    severities: dict[str, Severity] = Field(default_factory=dict)  # code -> severity override
    disabled: list[str] = Field(default_factory=list)  # codes not reported
    max_group_size: int = 10

    def kind_of(self, path: str) -> Kind | None:
        """Which kind a repo-relative path is, or ``None`` when no glob matches."""
        if any(_glob_match(path, pattern) for pattern in self.typos):
            return Kind.TYPOS
        if any(_glob_match(path, pattern) for pattern in self.synonyms):
            return Kind.SYNONYMS
        return None


class RepoConfigError(ValueError):
    """``.synbot.yml`` is not valid YAML or does not match the model."""


def _glob_match(path: str, pattern: str) -> bool:
    """Glob with ``**`` matching any number of directories (also none)."""
    path = path.removeprefix("./")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    if "**/" in pattern:
        return fnmatch.fnmatchcase(path, pattern.replace("**/", ""))
    return False


def parse_repo_config(text: str | None) -> RepoConfig:
    """Parse ``.synbot.yml`` text; ``None`` or empty text gives the defaults."""
    if not text or not text.strip():
        return RepoConfig()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RepoConfigError(f"{REPO_CONFIG_FILE}: not valid YAML: {exc}") from exc
    if data is None:
        return RepoConfig()
    if not isinstance(data, dict):
        raise RepoConfigError(f"{REPO_CONFIG_FILE}: expected a mapping at the top level")
    try:
        return RepoConfig.model_validate(data)
    except ValidationError as exc:
        raise RepoConfigError(f"{REPO_CONFIG_FILE}: {exc}") from exc


def load_repo_config(directory: Path) -> RepoConfig:
    """Read ``.synbot.yml`` from a directory (defaults when absent)."""
    path = directory / REPO_CONFIG_FILE
    return parse_repo_config(path.read_text(encoding="utf-8") if path.is_file() else None)
