"""Settings read once from `BRI_*` environment variables."""

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set; validated at start-up."""

    model_config = SettingsConfigDict(env_prefix="BRI_", extra="ignore")

    database_url: str = "sqlite:///./bri.db"
    # Comma-separated in the environment: BRI_CORS_ORIGINS=https://a.org,https://b.org
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    environment: Literal["development", "production", "test"] = "development"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    default_limit: int = Field(default=50, ge=1)
    max_limit: int = Field(default=1000, ge=1)
    max_filter_values: int = Field(default=100, ge=1)
    max_body_bytes: int = Field(default=1_000_000, ge=1)
    max_url_bytes: int = Field(default=8192, ge=256)
    # 0 turns the limit off. PostgreSQL: statement_timeout; SQLite: a progress handler.
    statement_timeout_ms: int = Field(default=10_000, ge=0)
    # A CSV export on PostgreSQL is one COPY statement, however many rows it streams.
    export_timeout_s: int = Field(default=900, ge=0)
    connect_timeout_s: int = Field(default=5, ge=1)
    pool_timeout_s: int = Field(default=10, ge=1)
    graceful_timeout_s: int = Field(default=30, ge=1)
    # Longer than a load balancer's idle timeout (60 s on most), or it sees resets as 502s.
    keep_alive_s: int = Field(default=75, ge=1)
    metrics_enabled: bool = True
    cache_max_age: int = Field(default=60, ge=0)
    # Bytes of recent list pages and summaries kept per process (app/answers.py); 0: none.
    answer_cache_bytes: int = Field(default=32_000_000, ge=0)
    pool_size: int = Field(default=10, ge=1)
    private: bool = False

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _limits_agree(self) -> "Settings":
        if self.default_limit > self.max_limit:
            raise ValueError("BRI_DEFAULT_LIMIT must not exceed BRI_MAX_LIMIT")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
