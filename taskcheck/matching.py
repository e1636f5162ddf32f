"""Matching a task's wording to list items (and admitted tasks): segmented words, synonyms, curated keywords.

Each item becomes a weighted bag of canonical words (title and curated keywords weigh 1.0, content 0.5),
weighted again by how rare a word is across the lists (idf). A task scores against an item by

- *precision*: how much of the task's meaningful wording the item explains. Words the lists never use are ignored,
  except domain words the segmenter knows (经济普查 is not 人口普查: an unexplained domain word lowers the score);
- *coverage*: how much of the item's title the task covers;
- *keyword hits*: curated keywords found verbatim in the task (independent of segmentation);
- *character bigrams* of the title, as a small segmentation-free signal.

The index of the base lists is built once per list version (the items are immutable dataclasses, so their hash is
the version stamp) and kept in a small in-process cache; admitted tasks are scored per request against the same
idf table (a community has a handful of them).
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from taskcheck import lexicon
from taskcheck.text import bigrams, canonical, normalize, tokens

TITLE_W, KEYWORD_W, CONTENT_W, CATEGORY_W = 1.0, 1.0, 0.5, 0.3
UNKNOWN_WORD_WEIGHT = 0.25
#: Domain words (known to the segmenter) that count as meaningful even when no item uses them.
DOMAIN_WORDS = frozenset(canonical(w) for w in lexicon.EXTRA_WORDS) | frozenset(
    g[0] for g in lexicon.SYNONYM_GROUPS
)
#: Words that say what kind of act is asked, not what it is about: they never match on their own.
GENERIC = frozenset(
    "宣传 服务 管理 活动 教育 居民 群众 登记 信息 安全 保障 建设 组织 指导 监督 报告 发现 上报 统计 调查 排查 走访 入户 帮助"
    " 维护 权益 提供 设立 建立 健全 普及 动员 开展 推进 协调 政府 部门 有关部门 人民政府 街道办事处 对象 家庭 人员 辖区内 范围"
    " 社会 公共 基层 群众性 自治 工作站 依法 法律 法规 规定 政策 知识 条件 参加 发放 收集 告知 办理 受理 申领 需求 摸底 征询"
    " 普查 入户登记 意见 情况 做好 及时 了解 发现报告 宣传动员 劝导劝阻 信息采集 入户走访 摸底排查 推荐 召开 举办 会议 讲座 问卷 汇总 提醒 指导 帮扶 走访 慰问 措施 防范 预防 制定 执行".split()
)


#: Who a task serves, not what it asks: a match on these alone is no match ("老年人健康随访" is not
#: "维护老年人合法权益").
POPULATION = frozenset(
    "老年人 残疾人 未成年人 妇女 居民 群众 家庭 家属 青少年 儿童 退休人员 党员 住户 业主".split()
)


@dataclass
class Match:
    item: object
    score: float
    precision: float
    coverage: float
    keyword_hits: tuple[str, ...]
    matched_words: tuple[str, ...]


_PARAPHRASES = tuple((re.compile(p), canonical(w)) for p, w in lexicon.PARAPHRASES)


def paraphrased(qnorm: str) -> tuple[str, ...]:
    """The canonical subjects a task names by paraphrase (:data:`taskcheck.lexicon.PARAPHRASES`)."""
    return tuple(w for pattern, w in _PARAPHRASES if pattern.search(qnorm))


def _embedded(keyword: str, query_words, profile) -> bool:
    """A keyword found only inside a different word of the task ("普查" in "经济普查") is no hit."""
    for word in query_words:
        if keyword in word and word != keyword and word not in profile:
            return True
    return False


def _conflicts(query_words, profile) -> bool:
    """The task names a sibling of the item's subject: 经济普查 against an item about 人口普查."""
    for word in query_words:
        if word in profile or word not in DOMAIN_WORDS or len(word) < 3:
            continue
        head = word[-2:]
        if any(p != word and len(p) >= 3 and p.endswith(head) and p in DOMAIN_WORDS for p in profile):
            return True
    return False


def _about_population(index, profile, matched, query_words) -> bool:
    """The task is about the population itself ("做好残疾人工作", "走访独居老人"): a population word of the item and
    no word of its own that the item does not explain ("老年人手机使用情况" is about phones, not about the elderly)."""
    if not any(w in POPULATION for w in matched):
        return False
    for w in query_words:
        if w in profile or w in GENERIC or w in POPULATION or len(w) < 2:
            continue
        if w in DOMAIN_WORDS or w not in index.idf:
            return False
    return True


class ListIndex:
    """The weighted vocabulary of a set of list items, with postings so that a check scores only candidates."""

    def __init__(self, items):
        self.items = list(items)
        self.profiles: list[dict[str, float]] = []
        self.title_words: list[frozenset[str]] = []
        self.keywords: list[tuple[str, ...]] = []
        self.title_bigrams: list[frozenset[str]] = []
        self.postings: dict[str, list[int]] = {}
        self.keyword_postings: list[tuple[str, str, int]] = []  # (keyword, canonical, item index)
        df: dict[str, int] = {}
        for i, item in enumerate(self.items):
            profile = item_profile(item)
            self.profiles.append(profile)
            self.title_words.append(frozenset(tokens(item.title)))
            keywords = tuple(normalize(k) for k in getattr(item, "keywords", ()) if k)
            self.keywords.append(keywords)
            self.title_bigrams.append(bigrams(item.title))
            for word in profile:
                df[word] = df.get(word, 0) + 1
                self.postings.setdefault(word, []).append(i)
            for k in set(keywords):
                if len(k) >= 2 and k not in GENERIC and canonical(k) not in POPULATION:
                    self.keyword_postings.append((k, canonical(k), i))
        n = max(len(self.items), 1)
        self.n = n
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self.max_idf = math.log(1 + n)
        kw_df: dict[str, int] = {}
        for kws in self.keywords:
            for k in set(kws):
                kw_df[k] = kw_df.get(k, 0) + 1
        self.kw_idf = {k: math.log(1 + n / c) for k, c in kw_df.items()}

    def weight(self, word: str) -> float:
        """How much a word of a task means: idf if the lists use it, full weight for unknown domain words."""
        if word in self.idf:
            w = self.idf[word]
        elif word in DOMAIN_WORDS:
            w = self.max_idf
        elif len(word) >= 2 and word not in GENERIC:
            # A word no list uses still says what the task is about ("管网普查" is not "人口普查").
            w = self.max_idf * UNKNOWN_WORD_WEIGHT
        else:
            return 0.0
        return w * (0.35 if word in GENERIC else 1.0)

    def _candidates(self, query_words, qset, qnorm) -> dict[int, list[str]]:
        """Items sharing a word with the task, or whose curated keyword the task contains."""
        found: dict[int, list[str]] = {}
        for word in query_words:
            for i in self.postings.get(word, ()):
                found.setdefault(i, [])
        for keyword, canon, i in self.keyword_postings:
            if canon in qset or keyword in qnorm:
                found.setdefault(i, []).append(keyword)
        return found

    def rank(self, text: str, *, extra_items=(), limit: int = 3) -> list[Match]:
        """The best-matching items for ``text`` (base items and ``extra_items``), best first."""
        qnorm = normalize(text)
        query_words = list(dict.fromkeys(tokens(text) + paraphrased(qnorm)))
        qset = set(query_words)
        qbigrams = bigrams(text)
        extra = index_for(extra_items) if extra_items else None
        weights = {}
        for w in query_words:
            weight = self.weight(w) if (w in self.idf or extra is None or w not in extra.idf) else 0.0
            if not weight and extra is not None and w in extra.idf:
                weight = self.max_idf * (0.35 if w in GENERIC else 1.0)
            weights[w] = weight
        total = sum(weights.values())
        candidates = []
        for index in (self, extra):
            if index is None:
                continue
            for i, literal_hits in index._candidates(query_words, qset, qnorm).items():
                match = self._score(index, i, query_words, qnorm, qbigrams, weights, total, literal_hits)
                if match is not None:
                    candidates.append(match)
        candidates.sort(key=lambda m: m.score, reverse=True)
        return candidates[:limit]

    def _score(self, index, i, query_words, qnorm, qbigrams, weights, total, keyword_hits) -> Match | None:
        profile = index.profiles[i]
        if _conflicts(query_words, profile):
            return None
        hits = tuple(
            k
            for k in keyword_hits
            if not (k in qnorm and _embedded(k, query_words, profile)) or canonical(k) in weights
        )
        matched = [w for w in query_words if w in profile and weights.get(w, 0) > 0]
        strong = [w for w in matched if w not in GENERIC and w not in POPULATION]
        if not strong and not hits and not _about_population(index, profile, matched, query_words):
            return None
        got = sum(weights[w] * profile[w] for w in matched)
        precision = got / total if total else 0.0
        title_words = index.title_words[i]
        title_mass = sum(self.weight(w) or self.max_idf * 0.5 for w in title_words) or 1.0
        coverage = sum(self.weight(w) or self.max_idf * 0.5 for w in title_words if w in weights) / title_mass
        kw_score = min(1.0, sum(self.kw_idf.get(k, self.max_idf) for k in hits) / (self.max_idf * 1.2))
        tbg = index.title_bigrams[i]
        dice = (2 * len(qbigrams & tbg) / (len(qbigrams) + len(tbg))) if qbigrams and tbg else 0.0
        score = 0.45 * precision + 0.25 * coverage + 0.2 * kw_score + 0.1 * dice
        return Match(
            index.items[i], round(score, 4), round(precision, 4), round(coverage, 4), hits, tuple(matched)
        )


_PROFILE_CACHE: OrderedDict = OrderedDict()
_PROFILE_LOCK = threading.Lock()


def item_profile(item) -> dict[str, float]:
    """The weighted canonical words of one item (cached by the item's own value)."""
    key = (
        item.title,
        getattr(item, "content", ""),
        tuple(getattr(item, "keywords", ())),
        getattr(item, "category", ""),
    )
    with _PROFILE_LOCK:
        cached = _PROFILE_CACHE.get(key)
        if cached is not None:
            _PROFILE_CACHE.move_to_end(key)
            return cached
    profile: dict[str, float] = {}

    def add(words, weight):
        for w in words:
            if profile.get(w, 0) < weight:
                profile[w] = weight

    add(tokens(getattr(item, "category", "")), CATEGORY_W)
    add(tokens(getattr(item, "content", "")), CONTENT_W)
    for keyword in getattr(item, "keywords", ()):
        add(tokens(keyword), KEYWORD_W)
        add([canonical(normalize(keyword))], KEYWORD_W)
    add(tokens(item.title), TITLE_W)
    with _PROFILE_LOCK:
        _PROFILE_CACHE[key] = profile
        if len(_PROFILE_CACHE) > 200_000:
            _PROFILE_CACHE.popitem(last=False)
    return profile


_INDEXES: OrderedDict = OrderedDict()
_INDEX_LOCK = threading.Lock()


#: The same tuple object seen again (a community's admitted items, kept in process by ``taskcheck.sources``):
#: found by identity, since hashing a thousand items on every check cost more than scoring them. Each entry
#: holds its tuple, so an id is never reused while it is here.
_BY_IDENTITY: OrderedDict = OrderedDict()


def index_for(items, *, stamp: object = None) -> ListIndex:
    """The index of ``items``, built once per version. ``stamp`` (the lists' version) is part of the key;
    without one, the items' own hash is the version."""
    if isinstance(items, tuple):
        with _INDEX_LOCK:
            seen = _BY_IDENTITY.get(id(items))
            if seen is not None and seen[0] is items and seen[1] == stamp:
                _BY_IDENTITY.move_to_end(id(items))
                return seen[2]
    items = tuple(items)
    key = (stamp, items)
    with _INDEX_LOCK:
        index = _INDEXES.get(key)
        if index is not None:
            _INDEXES.move_to_end(key)
    if index is None:
        index = ListIndex(items)
        with _INDEX_LOCK:
            _INDEXES[key] = index
            while len(_INDEXES) > 64:
                _INDEXES.popitem(last=False)
    with _INDEX_LOCK:
        _BY_IDENTITY[id(items)] = (items, stamp, index)
        while len(_BY_IDENTITY) > 64:
            _BY_IDENTITY.popitem(last=False)
    return index


def clear_caches() -> None:
    with _INDEX_LOCK:
        _INDEXES.clear()
        _BY_IDENTITY.clear()
    with _PROFILE_LOCK:
        _PROFILE_CACHE.clear()
