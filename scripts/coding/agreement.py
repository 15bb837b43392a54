"""Agreement between the first coding (the seed's positions and assessments) and the blind second coding.

    python scripts/coding/agreement.py            # the figures, as Markdown
    python scripts/coding/agreement.py --pairs    # also every matched pair and every disagreement

How records are matched. Both codings quote the five stored texts. Each quote is located in its stored text
as a character span. A second-coding record (one quote each) is paired with the first-coding position or
assessment one of whose citations overlaps that span in the same source: first one about the same party
(largest overlap), else one about another party whose passage no same-party pair has taken (see ``pair``). Several
second-coding records can pair with one first-coding record (the second coding keeps one quote per record,
the first merges quotes). Unmatched counts are given both ways.

Fields compared over the matched pairs:
- kind: position or assessment.
- holder: the party the record is about (a position's holder, an assessment's `about`).
- direction, firmness, basis: only where both records are positions.
- date: the latest possible day; and the whole interval, with the second coding's earliest day rounded down
  to the start of the first coding's stored precision period (the first coding stores a week from its Monday
  and a month from its 1st), undated meaning no latest day in the first coding and an open earliest day in
  the second.

Only the standard library and PyYAML.
"""

import argparse
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seed"
SOURCES = ROOT / "fixtures" / "sources"
SECOND = ROOT / "fixtures" / "coding" / "second-coding.yaml"

PARTY = {
    "United States": "united-states",
    "Russia": "russia",
    "Ukraine": "ukraine",
    "European allies": "european-allies",
}


def spans(text, quote):
    found, start = [], text.find(quote)
    while quote and start != -1:
        found.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return found


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def as_date(value):
    return date.fromisoformat(str(value)) if value else None


def first_coding():
    """The seed's positions and assessments, each with the spans its citations quote."""
    texts = {path.stem: path.read_text(encoding="utf-8") for path in SOURCES.glob("*.txt")}
    citations, records = {}, []
    for path in sorted(SEED.glob("*.yaml")):
        for obj in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            fields = obj["fields"]
            if obj["model"] == "treaty.citation":
                citations[fields["slug"]] = (fields["source"][0], fields.get("quote", ""))
            elif obj["model"] in ("treaty.position", "treaty.assessment"):
                records.append((obj["model"].split(".")[1], fields))
    first = []
    for kind, fields in records:
        quoted = []
        for (slug,) in fields.get("citations", []):
            source, quote = citations[slug]
            if source in texts and quote:
                quoted += [(source, span) for span in spans(texts[source], quote)]
        party = fields.get("holder") or fields.get("about")
        first.append(
            {
                "slug": fields["slug"],
                "kind": kind,
                "holder": party[0] if party else None,
                "direction": fields.get("direction"),
                "firmness": fields.get("firmness", "stated") if kind == "position" else None,
                "basis": fields.get("basis"),
                "earliest": as_date(fields.get("date")),
                "latest": as_date(fields.get("date_latest")),
                "precision": fields.get("date_precision", ""),
                "spans": quoted,
            }
        )
    return texts, first


def second_coding(texts):
    data = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    second = []
    for kind, key in (("position", "positions"), ("assessment", "assessments")):
        for record in data[key]:
            party = record.get("holder") if kind == "position" else record.get("about")
            when = record.get("date") or {}
            second.append(
                {
                    "id": record["id"],
                    "kind": kind,
                    "holder": PARTY.get(party, party),
                    "direction": record.get("direction"),
                    "firmness": record.get("firmness"),
                    "basis": record.get("basis"),
                    "earliest": as_date(when.get("earliest")),
                    "latest": as_date(when.get("latest")),
                    "source": record["source"],
                    "quote": record["quote"],
                    "spans": spans(texts[record["source"]], record["quote"]),
                }
            )
    return second


def best_overlap(record, candidate):
    return max(
        (
            overlap(span, mine)
            for source, mine in candidate["spans"]
            if source == record["source"]
            for span in record["spans"]
        ),
        default=0,
    )


def pair(first, second):
    """Pair each second-coding record with a first-coding record that quotes an overlapping passage.

    Stage 1: a first-coding record about the same party, largest overlap first (then the lower slug).
    Stage 2: for what is left, a first-coding record about another party, largest overlap first, unless
    that record's stage-1 partner quotes an overlapping passage: one passage often yields a record per
    party, and a second-coding record for a party the first coding did not code from that passage is a
    record only the second coding has, not a disagreement on the holder.
    """
    pairs, partners = {}, {}
    for record in second:
        scored = [
            (best_overlap(record, c), c["slug"], c)
            for c in first
            if c["holder"] == record["holder"] and best_overlap(record, c)
        ]
        if scored:
            _, _, chosen = max(scored, key=lambda item: (item[0], [-ord(ch) for ch in item[1]]))
            pairs[record["id"]] = chosen
            partners.setdefault(chosen["slug"], []).append(record)

    def passage_taken(record, candidate):
        return any(
            other["source"] == record["source"] and any(overlap(a, b) for a in other["spans"] for b in record["spans"])
            for other in partners.get(candidate["slug"], [])
        )

    for record in second:
        if record["id"] in pairs:
            continue
        scored = [
            (best_overlap(record, c), c["slug"], c)
            for c in first
            if best_overlap(record, c) and not passage_taken(record, c)
        ]
        if scored:
            _, _, chosen = max(scored, key=lambda item: (item[0], [-ord(ch) for ch in item[1]]))
            pairs[record["id"]] = chosen
    return [(record, pairs.get(record["id"])) for record in second]


def rounded(earliest, precision):
    if earliest is None:
        return None
    if precision == "week":
        return earliest - timedelta(days=earliest.weekday())
    if precision == "month":
        return earliest.replace(day=1)
    if precision == "year":
        return earliest.replace(month=1, day=1)
    return earliest


def compare(second_record, first_record):
    """{field: (first value, second value)} for every field compared on this pair."""
    fields = {"kind": (first_record["kind"], second_record["kind"])}
    fields["holder"] = (first_record["holder"], second_record["holder"])
    if first_record["kind"] == second_record["kind"] == "position":
        for name in ("direction", "firmness", "basis"):
            fields[name] = (first_record[name], second_record[name])
    fields["date (latest day)"] = (first_record["latest"], second_record["latest"])
    their_earliest = rounded(second_record["earliest"], first_record["precision"])
    fields["date (interval)"] = (
        (first_record["earliest"], first_record["latest"]),
        (their_earliest, second_record["latest"]),
    )
    return fields


FIELDS = ["kind", "holder", "direction", "firmness", "basis", "date (latest day)", "date (interval)"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", action="store_true", help="list every pair and every disagreement")
    args = parser.parse_args(argv)
    texts, first = first_coding()
    second = second_coding(texts)
    pairs = pair(first, second)
    matched = [(s, f) for s, f in pairs if f]
    agreed, compared = Counter(), Counter()
    disagreements = []
    for s, f in matched:
        for name, (mine, theirs) in compare(s, f).items():
            compared[name] += 1
            if mine == theirs:
                agreed[name] += 1
            else:
                disagreements.append((f["slug"], s["id"], name, mine, theirs))
    paired_first = {f["slug"] for _, f in matched}
    unmatched_first = [f for f in first if f["slug"] not in paired_first]
    unmatched_second = [s for s, f in pairs if f is None]
    kinds_first = Counter(f["kind"] for f in first)
    kinds_second = Counter(s["kind"] for s in second)

    out = sys.stdout
    out.write("| field | agreed / compared | rate |\n|---|---|---|\n")
    for name in FIELDS:
        rate = f"{agreed[name] / compared[name]:.0%}" if compared[name] else "—"
        out.write(f"| {name} | {agreed[name]} / {compared[name]} | {rate} |\n")
    out.write(
        f"\nRecords: first coding {kinds_first['position']} positions + {kinds_first['assessment']} assessments; "
        f"second coding {kinds_second['position']} positions + {kinds_second['assessment']} assessments.\n"
        f"Matched: {len(matched)} second-coding records paired with {len(paired_first)} first-coding records.\n"
        f"Unmatched: {len(unmatched_second)} second-coding records have no pair (no overlapping first-coding "
        f"citation, or the passage coded for another party only); "
        f"{len(unmatched_first)} first-coding records are paired with no second-coding record.\n"
    )
    if args.pairs:
        out.write("\n## Unmatched second-coding records\n\n")
        for s in unmatched_second:
            out.write(f"- {s['id']} ({s['kind']}, {s['holder']}): “{s['quote'][:90]}”\n")
        out.write("\n## Unmatched first-coding records\n\n")
        for f in unmatched_first:
            out.write(f"- {f['slug']} ({f['kind']}, {f['holder']})\n")
        out.write("\n## Disagreements (first record, second record, field, first, second)\n\n")
        for slug, sid, name, mine, theirs in disagreements:
            out.write(f"- {slug} | {sid} | {name} | {fmt(mine)} | {fmt(theirs)}\n")


def fmt(value):
    if isinstance(value, tuple):
        return "–".join(fmt(v) for v in value)
    return "none" if value is None else str(value)


if __name__ == "__main__":
    main()
