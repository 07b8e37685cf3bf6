"""API docs as chunks, and BM25 ranking of chunks for a task.

Docs are markdown (or plain text): split at headings, then long sections at paragraph
breaks, so each chunk is one topic of a few hundred tokens and keeps its heading.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import attrs
import bm25s

DOC_SUFFIXES = {".md", ".markdown", ".txt", ".rst"}
CHUNK_CHARS = 1200
_HEADING = re.compile(r"^#{1,6}\s+\S")


@attrs.frozen
class Chunk:
    source: str  # file name, or "task" for the task's own docs excerpt
    title: str  # the nearest heading
    text: str

    def render(self) -> str:
        # the text starts with its heading; a docs folder's file name says where it is from
        where = "" if self.source == "task" else f"<!-- {self.source} -->\n"
        return where + self.text.strip()


def chunk_markdown(text: str, source: str = "task", max_chars: int = CHUNK_CHARS) -> list[Chunk]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if _HEADING.match(line):
            sections.append((line.lstrip("#").strip(), [line]))
        else:
            sections[-1][1].append(line)
    chunks = []
    for title, lines in sections:
        body = "\n".join(lines).strip()
        for piece in _split(body, max_chars):
            chunks.append(Chunk(source, title, piece))
    return chunks


def _split(text: str, max_chars: int) -> list[str]:
    """Paragraphs packed into pieces of at most max_chars (a longer paragraph stays whole)."""
    if not text:
        return []
    pieces: list[str] = []
    current = ""
    for paragraph in re.split(r"\n\s*\n", text):
        if current and len(current) + len(paragraph) + 2 > max_chars:
            pieces.append(current)
            current = paragraph
        else:
            current = f"{current}\n\n{paragraph}" if current else paragraph
    if current:
        pieces.append(current)
    return pieces


@functools.lru_cache(maxsize=32)
def _folder_chunks(path: str, stamp: float) -> tuple[Chunk, ...]:
    root = Path(path)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix.lower() in DOC_SUFFIXES)
    chunks: list[Chunk] = []
    for file in files:
        name = file.name if root.is_file() else str(file.relative_to(root))
        chunks.extend(chunk_markdown(file.read_text(errors="replace"), name))
    return tuple(chunks)


def docs_chunks(path: Path) -> list[Chunk]:
    """The chunks of a docs file or of every .md/.txt/.rst file under a folder
    (read once per process while the folder is unchanged)."""
    return list(_folder_chunks(str(path.resolve()), path.stat().st_mtime))


def rank(chunks: list[Chunk], query: str, top_k: int) -> list[Chunk]:
    """The top_k chunks by BM25 relevance to `query`, best first. Chunks that share no
    word with the query are never returned."""
    if not chunks or top_k < 1:
        return []
    return [chunk for chunk, _score in ranked(tuple(chunks), query)[:top_k]]


def ranked(chunks: tuple[Chunk, ...], query: str) -> list[tuple[Chunk, float]]:
    """Every chunk sharing a word with `query`, best first, with its BM25 score (ties in
    corpus order). The index of a chunk set is built once per process."""
    if not chunks:
        return []
    query_tokens = bm25s.tokenize([query], stopwords="en", return_ids=False, show_progress=False)
    ids, scores = _index(chunks).retrieve(query_tokens, k=len(chunks), show_progress=False, sorted=True)
    hits = [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if s > 0]
    hits.sort(key=lambda hit: (-hit[1], hit[0]))
    return [(chunks[i], score) for i, score in hits]


# The instruction says what to use; the input program mostly names the library being
# replaced and scikit-learn. So the code's score counts half as much as the instruction's,
# each divided by its best chunk's score (BM25 scores of two queries do not compare).
CODE_WEIGHT = 0.5


def rank_for_task(chunks: list[Chunk], instruction: str, code: str, top_k: int | None = None) -> list[Chunk]:
    """Chunks by relevance to a task, best first: BM25 against the instruction, plus
    CODE_WEIGHT times BM25 against the input program (each normalised to its best hit).
    Chunks sharing no word with either are left out; ties keep corpus order."""
    if not chunks:
        return []
    chunks_t = tuple(chunks)
    position = {chunk: i for i, chunk in reversed(list(enumerate(chunks_t)))}
    total: dict[Chunk, float] = {}
    for query, weight in ((instruction, 1.0), (code, CODE_WEIGHT)):
        hits = ranked(chunks_t, query)
        for chunk, score in hits:
            total[chunk] = total.get(chunk, 0.0) + weight * score / hits[0][1]
    order = sorted(total, key=lambda chunk: (-total[chunk], position[chunk]))
    return order if top_k is None else order[:top_k]


@functools.lru_cache(maxsize=16)
def _index(chunks: tuple[Chunk, ...]) -> bm25s.BM25:
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([c.render() for c in chunks], stopwords="en", show_progress=False), show_progress=False)
    return retriever
