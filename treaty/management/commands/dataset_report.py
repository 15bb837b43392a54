"""Print what is in the database: counts, clauses per topic, positions per party, gaps and problems."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db.models import Count

from treaty.dataset import check_dataset, records_lacking_citations, records_needing_review
from treaty.models import Party, Position, Topic


class Command(BaseCommand):
    help = (
        "Report on the dataset: counts per model, clauses per topic, positions per holder and direction, "
        "records lacking citations, records marked for review, and the problems the dataset checker finds."
    )

    def handle(self, *args, **options):
        self.section("Records per model")
        for model in apps.get_app_config("treaty").get_models():
            self.row(model._meta.verbose_name_plural, model._default_manager.count())

        self.section("Clauses per topic")
        for topic in Topic.objects.annotate(clause_count=Count("clauses")).order_by("-clause_count", "name"):
            self.row(topic.name, topic.clause_count)

        self.section("Positions per holder (by direction)")
        stances = {}
        for row in Position.objects.values("holder_id", "direction").annotate(n=Count("id")).order_by("direction"):
            stances.setdefault(row["holder_id"], []).append(f"{row['direction'] or 'under review'} {row['n']}")
        parties = Party.objects.annotate(position_count=Count("positions")).filter(position_count__gt=0)
        for party in parties.order_by("-position_count", "name"):
            self.row(party.name, party.position_count, ", ".join(stances[party.pk]))

        self.section("Records lacking citations")
        self.listing(records_lacking_citations())

        self.section("Records marked for review")
        self.listing(records_needing_review())

        self.section("Problems found by the dataset checker")
        self.listing(check_dataset())

    def section(self, title):
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{title}"))

    def row(self, name, count, detail=""):
        self.stdout.write(f"  {name:<40} {count:>5}" + (f"  ({detail})" if detail else ""))

    def listing(self, lines):
        for line in lines or ["none"]:
            self.stdout.write(f"  {line}")
