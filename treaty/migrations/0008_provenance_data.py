"""Carry the existing data into the provenance model without losing a record or a slug.

Mechanical mappings only: a stance becomes a direction (conditional → open-to; the others as they are), an
official statement is on the record, an official document stays one, and every date gets its latest possible
day from its precision. What cannot be mapped mechanically is marked needs_review with the old value in
review_note, never guessed: a red line (firm, but for or against?), undecided and denies (no direction),
anonymous officials and media reports (whose officials? which outlet's reading?), a speaker who does not belong
to the holder, and the project's own compilation. Positions resting on an analyst's assessment become
Assessment rows with the same slug: an assessment is never a party's stance.
"""

import calendar
from datetime import timedelta

from django.db import migrations

DIRECTIONS = {"proposes": "proposes", "supports": "supports", "accepts": "accepts", "conditional": "open-to",
              "opposes": "opposes", "rejects": "rejects"}
BASES = {"official-statement": "on-record", "official-document": "official-document"}
TIERS = {"news-report": "original-reporting", "analysis": "opinion-analysis", "opinion": "opinion-analysis"}
DATED = ["source", "negotiation", "proposal", "position", "event"]


def latest_day(value, precision):
    if value is None:
        return None
    if precision == "week":
        return value + timedelta(days=6)
    if precision == "month":
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if precision == "year":
        return value.replace(month=12, day=31)
    return value


def speaks_for(person, party):
    if person.party_id is None:
        return False
    return person.party_id == party.pk or party.members.filter(pk=person.party_id).exists()


def forwards(apps, schema_editor):
    for name in DATED:
        model = apps.get_model("treaty", name)
        for record in model.objects.exclude(date=None):
            model.objects.filter(pk=record.pk).update(date_latest=latest_day(record.date, record.date_precision))

    Source = apps.get_model("treaty", "Source")
    for source in Source.objects.all():
        if source.kind == "compilation":
            Source.objects.filter(pk=source.pk).update(
                kind="published-text",
                tier="external-text",
                needs_review=True,
                review_note="Was kind “compilation”: the project's own notes, which are not evidence. Its citations "
                "must cite the original publications the notes name, or the facts go.",
            )
        else:
            tier = TIERS.get(source.kind) or ("primary-document" if source.text else "external-text")
            Source.objects.filter(pk=source.pk).update(tier=tier)

    Position = apps.get_model("treaty", "Position")
    Assessment = apps.get_model("treaty", "Assessment")
    for position in Position.objects.select_related("holder", "speaker").order_by("pk"):
        if position.basis == "analyst-assessment":
            assessment = Assessment.objects.create(
                slug=position.slug,
                assessor=position.speaker,
                about=position.holder,
                proposal=position.proposal,
                clause=position.clause,
                summary=position.summary,
                date=position.date,
                date_latest=position.date_latest,
                date_precision=position.date_precision,
                needs_review=True,
                review_note=f"Was a position of {position.holder.slug} (stance “{position.stance}”, basis "
                "“analyst-assessment”): an analyst's judgement, not the party's stance. Describe the assessor.",
            )
            assessment.citations.set(position.citations.all())
            position.delete()
            continue
        notes = []
        direction, firmness = DIRECTIONS.get(position.stance, ""), "stated"
        if position.stance == "red-line":
            firmness = "red-line"
            notes.append("was stance “red-line”: firm, but whether for or against is not recorded; set the direction")
        elif not direction:
            notes.append(f"was stance “{position.stance}”, which is no direction")
        basis = BASES.get(position.basis, "")
        if not basis:
            notes.append(
                f"was basis “{position.basis}”: say whose officials (own-officials or second-hand, with who "
                "reported it) or whose reading (outlet-inference)"
            )
        speaker = position.speaker
        if speaker is not None and not speaks_for(speaker, position.holder):
            notes.append(f"was stated_by {speaker.slug}, who does not belong to {position.holder.slug}")
            speaker = None
        Position.objects.filter(pk=position.pk).update(
            direction=direction,
            firmness=firmness,
            basis=basis,
            speaker=speaker,
            needs_review=bool(notes),
            review_note=("Migration: " + "; ".join(notes) + ".") if notes else "",
        )


class Migration(migrations.Migration):
    dependencies = [("treaty", "0007_provenance")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
