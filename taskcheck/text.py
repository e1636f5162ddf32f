"""Chinese text handling for the task check: normalisation, clauses, segmentation and synonyms.

jieba is loaded lazily, once per process, as a private ``Tokenizer`` (other apps using jieba are not affected)
with the domain words of :mod:`taskcheck.lexicon` and ``taskcheck/data/userdict.txt`` added. Its dictionary
takes about a second to load the first time; every later call is a dictionary lookup.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from taskcheck import lexicon

USER_DICT = Path(__file__).resolve().parent / "data" / "userdict.txt"
_CLAUSE_SPLIT = re.compile(r"[，,。；;！!？?\n\r：:（）()【】\[\]]+")
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_tokenizer = None
_lock = threading.Lock()

_CANONICAL: dict[str, str] = {}
for _group in lexicon.SYNONYM_GROUPS:
    for _word in _group:
        _CANONICAL.setdefault(_word, _group[0])


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, no spaces: the form every rule reads."""
    text = unicodedata.normalize("NFKC", text or "")
    # NFKC turns the full-width comma into "," and keeps CJK punctuation such as "。" and "、".
    return _SPACES.sub("", text).lower()


def clauses(text: str) -> list[str]:
    """The text cut at punctuation into clauses (the enumeration comma "、" keeps a clause together)."""
    return [c for c in _CLAUSE_SPLIT.split(normalize(text)) if c]


def tokenizer():
    """The segmenter, loaded on first use (thread-safe)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                if USER_DICT.exists():
                    tk.load_userdict(str(USER_DICT))
                words = set(lexicon.EXTRA_WORDS)
                for group in lexicon.SYNONYM_GROUPS:
                    words.update(group)
                for domain in lexicon.NEGATIVE_DOMAINS.values():
                    words.update(domain["acts"])
                    words.update(domain["nouns"])
                for word in words:
                    if len(word) > 1:
                        tk.add_word(word, freq=200000)
                _tokenizer = tk
    return _tokenizer


def canonical(word: str) -> str:
    return _CANONICAL.get(word, word)


@lru_cache(maxsize=100_000)
def tokens(text: str) -> tuple[str, ...]:
    """Meaningful words of ``text``, canonicalised (synonyms folded), stop words and punctuation dropped."""
    out = []
    for word in tokenizer().lcut(normalize(text), HMM=True):
        if not word or word in lexicon.STOPWORDS or not (_CJK.search(word) or word.isalpha()):
            continue
        if len(word) == 1 and word not in _SINGLE_CHAR_KEEP:
            continue
        out.append(canonical(word))
    return tuple(out)


#: Single characters that still mean something for matching.
_SINGLE_CHAR_KEEP = frozenset("犬毒税")


@lru_cache(maxsize=100_000)
def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the CJK characters of ``text`` (a segmentation-free similarity signal)."""
    chars = "".join(_CJK.findall(normalize(text)))
    return frozenset(chars[i : i + 2] for i in range(len(chars) - 1))


def contains_any(text: str, words) -> list[str]:
    """Which of ``words`` occur in ``text`` (substring match on normalised text)."""
    return [w for w in words if w and w in text]


def find_all(text: str, word: str) -> list[int]:
    out: list[int] = []
    start = 0
    while True:
        i = text.find(word, start)
        if i < 0:
            return out
        out.append(i)
        start = i + 1
