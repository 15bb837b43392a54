"""Load the seed dataset: the fixtures under fixtures/seed/ and the stored source texts.

Everything happens in one transaction and ends with the dataset checker: if the data
is not sound, nothing is saved. Fixtures use natural keys, so running it again updates
the same records in place and changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from django.test.utils import override_settings

from treaty.dataset import check_dataset
from treaty.models import Citation, Source

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SEED_DIR = FIXTURES_DIR / "seed"
SOURCE_TEXTS_DIR = FIXTURES_DIR / "sources"


def source_text_files() -> list[Path]:
    """The stored texts, one per source, named <source-slug>.txt."""
    return sorted(SOURCE_TEXTS_DIR.glob("*.txt"))


def read_source_text(path: Path) -> str:
    # Bytes decoded as they are: no newline translation, so citations match the file.
    return path.read_bytes().decode("utf-8")


def store_quote_offsets():
    """Store where each quote sits in its source, for clients that highlight it."""
    located = []
    citations = Citation.objects.exclude(quote="").select_related("source")
    for citation in citations.prefetch_related("source__non_story_passages"):
        try:
            citation.clean()  # locates the quote
        except ValidationError:
            continue  # the dataset checker reports it
        located.append(citation)
    Citation.objects.bulk_update(located, ["start", "end"])


class Command(BaseCommand):
    help = "Load the seed dataset (fixtures/seed/*.yaml and fixtures/sources/*.txt), then check it."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        fixtures = sorted(SEED_DIR.glob("*.yaml"))
        if not fixtures:
            raise CommandError(f"No fixtures found in {SEED_DIR}.")
        with transaction.atomic():
            # The audit history starts from one "created" entry per seeded record (populate_history), not from
            # the relation changes loaddata makes on the way.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                for number, path in enumerate(fixtures, start=1):
                    if verbosity >= 1:
                        self.stdout.write(f"[{number}/{len(fixtures)}] {path.name}")
                    try:
                        call_command("loaddata", str(path), verbosity=verbosity)
                    except (DeserializationError, DatabaseError, ValueError) as error:
                        raise CommandError(f"{path.name} could not be loaded; nothing was saved:\n{error}") from error
            self.load_source_texts(verbosity)
            store_quote_offsets()
            if verbosity >= 1:
                self.stdout.write("Checking the dataset …")
            problems = check_dataset()
            if problems:
                listing = "\n".join(f"  - {problem}" for problem in problems)
                raise CommandError(f"The seed dataset has {len(problems)} problem(s); nothing was saved:\n{listing}")
            call_command("populate_history", auto=True, verbosity=0)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS("Seed dataset loaded and checked."))

    def load_source_texts(self, verbosity):
        for path in source_text_files():
            if not Source.objects.filter(slug=path.stem).update(text=read_source_text(path)):
                raise CommandError(f"{path.name} matches no source: name it <source-slug>.txt.")
            if verbosity >= 1:
                self.stdout.write(f"  stored text of {path.stem}")
