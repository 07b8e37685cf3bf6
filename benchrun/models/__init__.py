"""Model providers behind one interface (see base.Provider)."""
from benchrun.models.base import PROMPT_REASONS, Completion, GenerationParams, Messages, ModelError, Provider
from benchrun.models.cache import cache_key
from benchrun.models.local import LocalProvider, default_model_path
from benchrun.models.openai import OpenAIProvider
from benchrun.models.providers import PROVIDERS, make_provider
from benchrun.models.reference import IdentityProvider, OracleProvider
from benchrun.models.retry import RetryPolicy, RetryStats
from benchrun.models.runner import ProviderRunner
from benchrun.models.vllm import VLLMProvider

__all__ = [
    "PROMPT_REASONS", "Completion", "GenerationParams", "Messages", "ModelError", "Provider", "cache_key",
    "PROVIDERS", "make_provider", "LocalProvider", "default_model_path", "OpenAIProvider",
    "IdentityProvider", "OracleProvider", "RetryPolicy", "RetryStats", "ProviderRunner", "VLLMProvider",
]
