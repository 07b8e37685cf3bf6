"""Prompting strategies: zero-shot, tuned templates, DocPrompting, BM25 retrieval."""
from benchrun.prompts.build import build_prompt, prompt_digest
from benchrun.prompts.frame import TEMPLATES, Prompt, PromptError, estimate_tokens, prompt_hash
from benchrun.prompts.retrieval import Chunk, chunk_markdown, docs_chunks, rank
from benchrun.prompts.strategies import STRATEGIES

__all__ = [
    "STRATEGIES", "TEMPLATES", "Prompt", "PromptError", "build_prompt", "estimate_tokens",
    "prompt_digest", "prompt_hash", "Chunk", "chunk_markdown", "docs_chunks", "rank",
]
