"""Agreement between the first coding (fixtures/seed) and the blind second coding (fixtures/coding) of events
and party roles, per field, before reconciliation.

    python scripts/coding/agreement_events.py [--rev COMMIT]

--rev reads the first coding from a commit (the first coding was committed as df3368b) instead of the work tree.

Matching. The second coder wrote one record per source, so several of its records can describe one event of the
first coding; each second-coding record is matched to at most one first-coding event:
  1. by quote: its quote and one of the event's citation quotes come from the same source and one contains the
     other, or they share a run of at least 40 characters;
  2. otherwise by content: the kinds are equal, the date intervals overlap (an open end overlaps anything), the
     participants (people and parties) have a Jaccard similarity of at least 0.5 and, when both name people, they
     share at least one.
Records of the Gaza talks (a participant Israel or Hamas, or Gaza in the title) belong to another negotiation and
are left out, as their party roles are.
When several events qualify, the one with the highest score wins (quote link 3, same kind 1, overlapping dates 1,
plus the participant Jaccard). Party roles of the Russia–Ukraine negotiation (the second coder also coded the
Gaza talks; those are left out) are matched by party: a second-coding role is matched when the first coding gives
that party any role, and agrees when one of the first coding's roles for the party is the same.

Fields compared on each matched pair: kind; date (earliest and latest both equal; also whether they overlap);
precision (as coded; and after mapping the second coder's extra values, which the model does not have:
"weekend" and "range" to day, "unknown" to undated when there is no earliest day); parties and people (set
equality, and mean Jaccard).
"""

import argparse
import difflib
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = "fixtures/seed"
SECOND = ROOT / "fixtures" / "coding" / "second-coding.yaml"


def read(path: str, rev: str | None) -> str:
    if rev:
        return subprocess.run(  # noqa: S603 (git, with the commit the user names)
            ["git", "show", f"{rev}:{path}"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return (ROOT / path).read_text()


def seed_files(rev: str | None) -> list[str]:
    if rev:
        out = subprocess.run(  # noqa: S603
            ["git", "ls-tree", "--name-only", rev, f"{SEED}/"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return sorted(name for name in out.stdout.split() if name.endswith(".yaml"))
    return sorted(f"{SEED}/{p.name}" for p in (ROOT / SEED).glob("*.yaml"))


def load_first(rev):
    records = [r for path in seed_files(rev) for r in (yaml.safe_load(read(path, rev)) or [])]
    quotes, names, kinds = {}, {}, {}
    for r in records:
        f = r["fields"]
        if r["model"] == "treaty.citation":
            quotes[f["slug"]] = (f["source"][0], f.get("quote") or "")
        elif r["model"] in ("treaty.person", "treaty.party"):
            kind = "person" if r["model"] == "treaty.person" else "party"
            kinds[f["slug"]] = kind
            for name in [f["name"], *f.get("aliases", [])]:
                names.setdefault(name.casefold(), f["slug"])
    events = []
    for r in records:
        if r["model"] != "treaty.event":
            continue
        f = r["fields"]
        events.append(
            {
                "slug": f["slug"],
                "kind": f["kind"],
                "title": f["title"],
                "earliest": str(f["date"]) if f.get("date") else None,
                "latest": str(f.get("date_latest") or f.get("date")) if f.get("date") else None,
                "precision": f.get("date_precision", ""),
                "people": {p[0] for p in f.get("people", [])},
                "parties": {p[0] for p in f.get("parties", [])},
                "quotes": [quotes[c[0]] for c in f.get("citations", []) if c[0] in quotes],
            }
        )
    roles = [(r["fields"]["party"][0], r["fields"]["role"]) for r in records if r["model"] == "treaty.partyrole"]
    return events, roles, names, kinds


EXTRA_NAMES = {"sergiy kislysha": "sergiy-kyslytsya", "lau": "lau"}


def slug_of(name, names):
    key = name.casefold()
    return names.get(key) or EXTRA_NAMES.get(key) or "?" + name


def quote_linked(second, first):
    source, quote = second["source"], second["quote"] or ""
    for src, q in first["quotes"]:
        if src != source or not q or not quote:
            continue
        if quote in q or q in quote:
            return True
        match = difflib.SequenceMatcher(None, quote, q, autojunk=False).find_longest_match(0, len(quote), 0, len(q))
        if match.size >= 40:
            return True
    return False


def overlaps(a_early, a_late, b_early, b_late):
    lo = max(x for x in (a_early, b_early) if x) if (a_early or b_early) else None
    hi = min(x for x in (a_late, b_late) if x) if (a_late or b_late) else None
    return lo is None or hi is None or lo <= hi


def jaccard(a, b):
    return 1.0 if not a and not b else len(a & b) / len(a | b)


def mapped_precision(date):
    precision = date.get("precision") or ""
    if precision in ("weekend", "range"):
        return "day"
    if precision == "unknown":
        return "day" if date.get("earliest") else ""
    return precision


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="read the first coding from this commit")
    args = parser.parse_args()
    events, roles, names, kinds = load_first(args.rev)
    second = yaml.safe_load(SECOND.read_text())

    pairs, unmatched = [], []
    gaza = [
        s for s in second["events"] if {"Israel", "Hamas"} & set(s.get("participants") or []) or "Gaza" in s["title"]
    ]
    for s in second["events"]:
        if s in gaza:
            continue
        date = s.get("date") or {}
        slugs = {slug_of(p, names) for p in s.get("participants") or []}
        s_people = {x for x in slugs if kinds.get(x) == "person" or x in ("lau",)}
        s_parties = slugs - s_people
        best, best_score = None, 0.0
        for f in events:
            linked = quote_linked(s, f)
            same_kind = s["kind"] == f["kind"]
            dates = overlaps(date.get("earliest"), date.get("latest"), f["earliest"], f["latest"])
            sim = jaccard(s_people | s_parties, f["people"] | f["parties"])
            shares_people = not (s_people and f["people"]) or bool(s_people & f["people"])
            if not linked and not (same_kind and dates and sim >= 0.5 and shares_people):
                continue
            score = 3 * linked + same_kind + dates + sim
            if score > best_score:
                best, best_score = f, score
        if best is None:
            unmatched.append(s)
            continue
        pairs.append((s, best, s_people, s_parties, date))

    n = len(pairs)

    def rate(k):
        return f"{k}/{n} ({100 * k / n:.0f}%)" if n else "0/0"

    kind = sum(s["kind"] == f["kind"] for s, f, *_ in pairs)
    date_eq = sum(d.get("earliest") == f["earliest"] and d.get("latest") == f["latest"] for s, f, _, _, d in pairs)
    date_ov = sum(overlaps(d.get("earliest"), d.get("latest"), f["earliest"], f["latest"]) for s, f, _, _, d in pairs)
    prec_raw = sum((d.get("precision") or "") == f["precision"] for s, f, _, _, d in pairs)
    prec_map = sum(mapped_precision(d) == f["precision"] for s, f, _, _, d in pairs)
    parties_eq = sum(sp == f["parties"] for s, f, _, sp, _ in pairs)
    people_eq = sum(pp == f["people"] for s, f, pp, _, _ in pairs)
    parties_j = sum(jaccard(sp, f["parties"]) for s, f, _, sp, _ in pairs) / n if n else 0
    people_j = sum(jaccard(pp, f["people"]) for s, f, pp, _, _ in pairs) / n if n else 0
    matched_first = {f["slug"] for _, f, *_ in pairs}

    print("# Agreement of the two codings: events and party roles (before reconciliation)\n")
    print(
        f"First coding: {'commit ' + args.rev if args.rev else 'work tree'}; "
        "second coding: fixtures/coding/second-coding.yaml."
    )
    print("Matching and fields: see the docstring of scripts/coding/agreement_events.py.\n")
    print("## Events\n")
    print(f"- first coding: {len(events)} events; second coding: {len(second['events'])} records")
    print(f"- left out as another negotiation (Gaza): {len(gaza)} ({', '.join(s['id'] for s in gaza)})")
    print(f"- matched second-coding records: {n}; unmatched: {len(unmatched)}")
    print(
        f"- first-coding events matched by at least one record: {len(matched_first)}; "
        f"with none: {len(events) - len(matched_first)}\n"
    )
    print("| field | agreement on matched pairs |\n|---|---|")
    print(f"| kind | {rate(kind)} |")
    print(f"| date (earliest and latest equal) | {rate(date_eq)} |")
    print(f"| date (intervals overlap) | {rate(date_ov)} |")
    print(f"| precision (as coded) | {rate(prec_raw)} |")
    print(f"| precision (second coder's weekend/range/unknown mapped) | {rate(prec_map)} |")
    print(f"| parties (same set) | {rate(parties_eq)}; mean Jaccard {parties_j:.2f} |")
    print(f"| people (same set) | {rate(people_eq)}; mean Jaccard {people_j:.2f} |")
    print("\n### Matched pairs and their disagreements\n")
    print("| second | first | kind | date | precision | parties | people |\n|---|---|---|---|---|---|---|")
    for s, f, pp, sp, d in pairs:
        cells = [
            "=" if s["kind"] == f["kind"] else f"{s['kind']} / {f['kind']}",
            "="
            if (d.get("earliest"), d.get("latest")) == (f["earliest"], f["latest"])
            else f"{d.get('earliest')}…{d.get('latest')} / {f['earliest']}…{f['latest']}",
            "=" if (d.get("precision") or "") == f["precision"] else f"{d.get('precision')} / {f['precision'] or '—'}",
            "=" if sp == f["parties"] else f"+{sorted(sp - f['parties'])} -{sorted(f['parties'] - sp)}",
            "=" if pp == f["people"] else f"+{sorted(pp - f['people'])} -{sorted(f['people'] - pp)}",
        ]
        print(f"| {s['id']} | {f['slug']} | " + " | ".join(cells) + " |")
    print("\n### Second-coding records with no first-coding event\n")
    for s in unmatched:
        print(f"- {s['id']} ({s['source']}, {s['kind']}): {s['title']}")
    print("\n### First-coding events with no second-coding record\n")
    for f in events:
        if f["slug"] not in matched_first:
            print(f"- {f['slug']} ({f['kind']}): {f['title']}")

    print("\n## Party roles (Russia–Ukraine negotiation)\n")
    first_roles = {}
    for party, role in roles:
        first_roles.setdefault(party, set()).add(role)
    seconds = [r for r in second["party_roles"] if not r["note"].startswith(("Gaza", "Gaza (Israel"))]
    matched = [(r, slug_of(r["party"], names)) for r in seconds if slug_of(r["party"], names) in first_roles]
    party_agree = len(matched)
    role_agree = sum(r["role"] in first_roles[p] for r, p in matched)
    second_pairs = {(slug_of(r["party"], names), r["role"]) for r in seconds}
    first_pairs = set(roles)
    print(
        f"- first coding: {len(roles)} roles; second coding: {len(seconds)} records "
        f"({len(second_pairs)} distinct party–role pairs), Gaza left out"
    )
    print(f"- records whose party has a first-coding role (party agreement): {party_agree}/{len(seconds)}")
    print(
        f"- of those, same role: {role_agree}/{party_agree}"
        + (f" ({100 * role_agree / party_agree:.0f}%)" if party_agree else "")
    )
    print(
        f"- distinct party–role pairs in both codings: {len(first_pairs & second_pairs)}; "
        f"only first: {len(first_pairs - second_pairs)}; only second: {len(second_pairs - first_pairs)}\n"
    )
    for pair in sorted(first_pairs - second_pairs):
        print(f"  - only first: {pair[0]} {pair[1]}")
    for pair in sorted(second_pairs - first_pairs):
        ids = ", ".join(r["id"] for r in seconds if (slug_of(r["party"], names), r["role"]) == pair)
        print(f"  - only second: {pair[0]} {pair[1]} ({ids})")


if __name__ == "__main__":
    main()
