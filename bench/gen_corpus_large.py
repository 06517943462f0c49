#!/usr/bin/env python3
"""The shared corpus generator (../shared/bench/gen_corpus.py), able to make
--taxonomies corpora of any size.

Usage: the same arguments as gen_corpus.py.

Why: gen_corpus.py names its tags from about a hundred words and their
pairs, about 10,300 names, and asks for N/25 tags, so above about 257,000
articles its tag loop never ends (a 1,000,000-article corpus needs 40,000
tags). This wrapper runs gen_corpus.py unchanged except for that one step:
once a run of random pairs stops finding new names, it names tags with three
words. Below that size nothing changes, so the corpora are byte-identical
to gen_corpus.py's (the same random stream, the same draws).
"""
import os
import random
import sys

SHARED_BENCH = os.environ.get(
    "GAZETTE_SHARED_BENCH",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
sys.path.insert(0, SHARED_BENCH)
import gen_corpus as shared  # noqa: E402

# A run of this many pair draws without a new name means the pairs are used up.
PAIRS_USED_UP = 5000


def tag_names(rng, words, count):
    """`count` distinct tag names: the words, then random pairs, then triples."""
    names, seen = [], set()
    i, misses = 0, 0
    while len(names) < count:
        if i < len(words):
            w = words[i]
        elif misses < PAIRS_USED_UP:
            w = "%s %s" % (words[rng.randrange(len(words))], words[rng.randrange(len(words))])
        else:
            w = "%s %s %s" % tuple(words[rng.randrange(len(words))] for _ in range(3))
        i += 1
        name = w[0].upper() + w[1:]
        if name.lower() in seen:
            misses += 1
            continue
        misses = 0
        seen.add(name.lower())
        names.append(name)
    return names


def add_taxonomies(articles, seed):
    """gen_corpus.add_taxonomies with `tag_names` for its vocabulary."""
    rng = random.Random(seed * 7919 + 17)
    banks = (shared.TOPICS, shared.ORGS, shared.PROBLEMS, shared.EVENTS, shared.GROUPS)
    words = sorted({w for bank in banks for w in bank
                    if isinstance(w, str) and 2 < len(w) < 40 and "{" not in w})
    tags = tag_names(rng, words, max(40, len(articles) // 25))
    rng.shuffle(tags)
    s_cw = shared.zipf_cum_weights(len(shared.SECTIONS), 1.0)
    t_cw = shared.zipf_cum_weights(len(tags), 1.05)
    for a in articles:
        a["section"] = rng.choices(shared.SECTIONS, cum_weights=s_cw, k=1)[0]
        k = rng.randint(1, 5)
        chosen = []
        while len(chosen) < k:
            t = rng.choices(tags, cum_weights=t_cw, k=1)[0]
            if t not in chosen:
                chosen.append(t)
        a["tags"] = chosen
    order = sorted(range(len(articles)), key=lambda j: articles[j]["date"])
    j, thread = 0, 0
    while j < len(order):
        if rng.random() < 0.02:
            n = rng.randint(2, 15)
            thread += 1
            for idx in order[j:j + n * 3:3]:
                articles[idx]["story"] = "thread-%05d" % thread
            j += n * 3
        else:
            j += 1


if __name__ == "__main__":
    shared.add_taxonomies = add_taxonomies
    shared.main()
