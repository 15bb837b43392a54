"""Load the seed dataset: the fixtures under fixtures/seed/ and the stored source texts.

`seed` creates the records that are missing and never changes one that exists: where a record differs from the
fixtures (a curator edited it), it is left as it is and the difference is listed; a record a curator deleted is
not brought back. `seed --restore` writes the fixture values over the records that differ and brings deleted ones
back, after asking (unless --no-input); each record it overwrites gets a history entry by the "seed-fixtures" user
with the reason "Restored from the seed fixtures", so a curator can see and revert it.

Either way everything happens in one transaction and ends with the dataset checker: if the data is not sound,
nothing is saved. Fixtures use natural keys (slugs), so records are matched by them, never by integer ids.
"""

from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import (
    DeserializationError,
    M2MDeserializationError,
    deserialize_fk_value,
    deserialize_m2m_values,
)
from django.db import DatabaseError, models, transaction
from django.db.models.signals import post_save
from django.test.utils import override_settings

from treaty.dataset import check_dataset
from treaty.models import Citation, SluggedModel, Source

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SEED_DIR = FIXTURES_DIR / "seed"
SOURCE_TEXTS_DIR = FIXTURES_DIR / "sources"

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, as Django's serializer: 10x faster
SYSTEM_USER = "seed-fixtures"
CREATED_REASON = "Created by manage.py seed"
RESTORED_REASON = "Restored from the seed fixtures (manage.py seed --restore)"
# Computed from other fields, so never a curator's edit: the quote's offsets in its source, the version counter.
DERIVED_FIELDS = {"version", "start", "end"}


def source_text_files() -> list[Path]:
    """The stored texts, one per source, named <source-slug>.txt."""
    return sorted(SOURCE_TEXTS_DIR.glob("*.txt"))


def read_source_text(path: Path) -> str:
    # Bytes decoded as they are: no newline translation, so citations match the file.
    return path.read_bytes().decode("utf-8")


def store_quote_offsets(citations):
    """Store where each quote sits in its source, for clients that highlight it."""
    located = []
    for citation in citations.exclude(quote="").select_related("source").prefetch_related("source__non_story_passages"):
        try:
            citation.clean()  # locates the quote
        except ValidationError:
            continue  # the dataset checker reports it
        located.append(citation)
    Citation.objects.bulk_update(located, ["start", "end"])


def identity(obj) -> dict:
    """The natural key of a record as field values, to find it in its history once it is deleted."""
    model = type(obj)
    if any(f.name == "slug" for f in model._meta.fields):
        return {"slug": obj.slug}
    unique = next(c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint))
    return {
        model._meta.get_field(name).attname: getattr(obj, model._meta.get_field(name).attname) for name in unique.fields
    }


def refers_to(record: dict, keys: set[tuple]) -> bool:
    """Whether a fixture record names one of these natural keys in a relation."""
    if not keys:
        return False
    for value in record.get("fields", {}).values():
        references = [value] if isinstance(value, list) and not any(isinstance(v, list) for v in value) else value
        if isinstance(references, list) and any(isinstance(r, list) and tuple(r) in keys for r in references):
            return True
    return False


def label(obj) -> str:
    key = obj.natural_key()
    return f"{obj._meta.verbose_name} {' / '.join(str(part) for part in key)}"


def resolve_deferred(item):
    """Django's DeserializedObject.save_deferred_fields, without the save: forward references, now resolvable."""
    for field, value in item.deferred_fields.items():
        if isinstance(field.remote_field, models.ManyToManyRel):
            item.m2m_data[field.name] = deserialize_m2m_values(field, value, None, handle_forward_references=False)
        else:
            setattr(
                item.object, field.attname, deserialize_fk_value(field, value, None, handle_forward_references=False)
            )
    item.deferred_fields = {}


class SlugIndex:
    """The pk of every record with a slug, by model, so that the slugs the fixtures name are resolved in one query
    per model rather than one per reference (what makes a seed with nothing to do quick)."""

    def __init__(self):
        self.pks = {}

    def of(self, model) -> dict:
        if model not in self.pks:
            self.pks[model] = dict(model._default_manager.values_list("slug", "pk"))
        return self.pks[model]

    def add(self, obj):
        if isinstance(obj, SluggedModel):
            self.of(type(obj))[obj.slug] = obj.pk

    def resolve(self, record: dict) -> dict:
        """The fixture record with the slugs it names, its own included, given as pks where they exist; the
        deserializer looks up the others (and defers the forward references)."""
        model = apps.get_model(record["model"])
        fields = dict(record.get("fields", {}))
        for name, value in fields.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # the deserializer says so
            if not (field.is_relation and issubclass(field.related_model, SluggedModel) and isinstance(value, list)):
                continue
            pks = self.of(field.related_model)
            keys = value if field.many_to_many else [value]
            if all(isinstance(key, list) and len(key) == 1 and key[0] in pks for key in keys):
                resolved = [pks[key[0]] for key in keys]
                fields[name] = resolved if field.many_to_many else resolved[0]
        own = self.of(model).get(fields.get("slug")) if issubclass(model, SluggedModel) else None
        return {**record, "fields": fields, **({"pk": own} if own is not None else {})}


def differences(item, current, related: dict[str, set]) -> list[str]:
    """The fields where the database record differs from the fixture (``related``: its many-to-many pks)."""
    changed = [
        f.name
        for f in type(current)._meta.concrete_fields
        if not f.primary_key
        and f.name not in DERIVED_FIELDS
        and f.value_from_object(current) != f.value_from_object(item.object)
    ]
    changed += [name for name, pks in item.m2m_data.items() if related[name] != {int(pk) for pk in pks}]
    return changed


def current_records(model, pks) -> tuple[dict, dict]:
    """The records with these pks, and for each many-to-many field (without a through model of ours) the pks each
    one links to: a few queries per model, not per record."""
    records = model._default_manager.in_bulk(pks)
    related = {}
    for field in model._meta.many_to_many:
        if not field.remote_field.through._meta.auto_created:
            continue
        through = field.remote_field.through._meta
        source = through.get_field(field.m2m_field_name()).attname
        target = through.get_field(field.m2m_reverse_field_name()).attname
        links = {pk: set() for pk in pks}
        for pk, other in through.model.objects.filter(**{f"{source}__in": pks}).values_list(source, target):
            links[pk].add(other)
        related[field.name] = links
    return records, related


def system_user():
    """The account restores are recorded under: it cannot log in."""
    user, created = get_user_model().objects.get_or_create(username=SYSTEM_USER, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def record_history(obj, reason: str):
    """The "created" history entry of a record saved raw, once its relations are in place (so the entry has them):
    the post_save that the raw save did not announce to django-simple-history."""
    obj._change_reason = reason
    post_save.send(type(obj), instance=obj, created=True, update_fields=None, raw=False, using="default")


class Command(BaseCommand):
    help = (
        "Create the seed records that are missing (fixtures/seed/*.yaml, fixtures/sources/*.txt) and check the "
        "dataset; records that differ from the fixtures are kept and listed. --restore overwrites them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--restore",
            action="store_true",
            help="Write the fixture values over records that differ and recreate deleted ones (asks first).",
        )
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )

    def handle(self, *args, restore=False, interactive=True, verbosity=1, **options):
        fixtures = sorted(SEED_DIR.glob("*.yaml"))
        if not fixtures:
            raise CommandError(f"No fixtures found in {SEED_DIR}.")
        self.verbosity = verbosity
        with transaction.atomic():
            missing, deleted, existing = self.load(fixtures, restore)
            differing = self.compare(existing)
            restored = []
            if restore and (differing or deleted):
                if interactive and not self.confirm(differing, deleted):
                    raise CommandError("Nothing was changed.")
                restored = self.restore(differing)
            written = [item.object for item in missing + (deleted if restore else [])] + restored
            store_quote_offsets(Citation.objects.filter(pk__in=[o.pk for o in written if isinstance(o, Citation)]))
            self.say("Checking the dataset …")
            problems = check_dataset()
            if problems:
                listing = "\n".join(f"  - {problem}" for problem in problems)
                raise CommandError(f"The seed dataset has {len(problems)} problem(s); nothing was saved:\n{listing}")
        self.report(missing, deleted, differing, restore)

    def say(self, message, style=None):
        if self.verbosity >= 1:
            self.stdout.write(style(message) if style else message)

    def load(self, fixtures, restore):
        """Reads the fixtures in order, creating the missing records as it goes (later ones refer to them);
        returns the fixture records that were missing, that curators deleted, and that exist."""
        texts = {path.stem: read_source_text(path) for path in source_text_files()}
        missing, deleted, existing, source_slugs, deleted_keys = [], [], [], set(), set()
        index, defined_in = SlugIndex(), {}
        with override_settings(SIMPLE_HISTORY_ENABLED=False):  # the history is written below, with the relations
            for number, path in enumerate(fixtures, start=1):
                self.say(f"[{number}/{len(fixtures)}] {path.name}")
                try:
                    with path.open(encoding="utf-8") as stream:
                        records = yaml.load(stream, Loader=YAML_LOADER) or []  # noqa: S506 (a safe loader)
                    for record in records:
                        self.check_defined_once(record, path.name, defined_in)
                        if not restore and refers_to(record, deleted_keys):
                            # It belongs to a record a curator deleted, and so does what belongs to it.
                            if slug := record.get("fields", {}).get("slug"):
                                deleted_keys.add((slug,))
                            continue
                        record = index.resolve(record)
                        [item] = serializers.deserialize("python", [record], handle_forward_references=True)
                        if isinstance(item.object, Source):
                            source_slugs.add(item.object.slug)
                            self.add_text(item.object, texts)
                        found = self.classify(item, missing, deleted, existing)
                        if found is deleted:
                            deleted_keys.add(tuple(item.object.natural_key()))
                        if found is missing or (found is deleted and restore):
                            item.save()  # raw, as loaddata saves
                            index.add(item.object)
                except (yaml.YAMLError, DeserializationError, DatabaseError, ValueError) as error:
                    raise CommandError(f"{path.name} could not be loaded; nothing was saved:\n{error}") from error
            for slug in sorted(texts.keys() - source_slugs):
                raise CommandError(f"{slug}.txt matches no source: name it <source-slug>.txt.")
            created = missing + (deleted if restore else [])
            try:
                for item in created:
                    if item.deferred_fields:
                        item.save_deferred_fields()
            except (DeserializationError, DatabaseError, ValueError) as error:
                raise CommandError(f"The fixtures could not be loaded; nothing was saved:\n{error}") from error
        for item in created:
            if item in deleted:
                item.object._history_user = system_user()
            record_history(item.object, RESTORED_REASON if item in deleted else CREATED_REASON)
        return missing, deleted, existing

    @staticmethod
    def check_defined_once(record: dict, file_name: str, defined_in: dict):
        """Two fixture records with one slug would load as one: the second silently compared with the first."""
        slug = record.get("fields", {}).get("slug")
        if slug is None:
            return
        key = (record.get("model"), slug)
        if key in defined_in:
            raise CommandError(f"{key[0]} {slug} is defined twice, in {defined_in[key]} and {file_name}.")
        defined_in[key] = file_name

    def add_text(self, source, texts):
        if source.slug in texts:
            source.text = texts[source.slug]
            self.say(f"  text of {source.slug}: {SOURCE_TEXTS_DIR.name}/{source.slug}.txt")

    @staticmethod
    def classify(item, missing, deleted, existing):
        """Adds the fixture record to the list it belongs to: missing, deleted by a curator, or existing."""
        if item.object.pk is not None:
            found = existing
        else:
            history = type(item.object).history.filter(**identity(item.object))
            last = history.order_by("history_date", "history_id").last()
            found = deleted if last and last.history_type == "-" else missing
        found.append(item)
        return found

    def compare(self, existing):
        """The present records that differ from the fixtures, with the fields that differ."""
        differing, by_model = [], {}
        for item in existing:
            by_model.setdefault(type(item.object), []).append(item)
        for model, items in by_model.items():
            records, related = current_records(model, [item.object.pk for item in items])
            for item in items:
                unresolved = []
                if item.deferred_fields:
                    try:
                        resolve_deferred(item)
                    except (M2MDeserializationError, ObjectDoesNotExist):  # it names a record that is gone
                        unresolved = [field.name for field in item.deferred_fields]
                current = records[item.object.pk]
                links = {name: pks[current.pk] for name, pks in related.items()}
                changed = differences(item, current, links) + unresolved
                if changed:
                    differing.append((item, current, changed))
        return differing

    def confirm(self, differing, deleted) -> bool:
        for item, _current, changed in differing:
            self.stdout.write(f"  overwrite {label(item.object)}: {', '.join(changed)}")
        for item in deleted:
            self.stdout.write(f"  recreate {label(item.object)} (deleted by a curator)")
        try:
            answer = input(f"Restore {len(differing) + len(deleted)} record(s) from the fixtures? Type 'yes': ")
        except EOFError:
            answer = ""
        return answer.strip().lower() == "yes"

    def restore(self, differing):
        user = system_user()
        restored = []
        for item, current, _changed in differing:
            obj = item.object
            obj.version, obj._state.adding = current.version, False  # so the save counts as a change
            for name in DERIVED_FIELDS - {"version"}:
                if hasattr(current, name):
                    setattr(obj, name, getattr(current, name))
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                for name, pks in item.m2m_data.items():
                    getattr(obj, name).set(pks)
            obj._change_reason = RESTORED_REASON
            obj._history_user = user
            obj.save()  # a normal save: the version moves on (so stale clients get 412) and the history records it
            restored.append(obj)
        return restored

    def report(self, missing, deleted, differing, restore):
        if restore:
            for item, _current, changed in differing:
                self.say(f"  restored {label(item.object)}: {', '.join(changed)}")
            for item in deleted:
                self.say(f"  recreated {label(item.object)}")
        else:
            if differing:
                self.say(f"{len(differing)} record(s) differ from the fixtures and were kept as they are:")
                for item, _current, changed in differing:
                    self.say(f"  {label(item.object)}: {', '.join(changed)}")
            if deleted:
                self.say(f"{len(deleted)} record(s) deleted by curators were not recreated:")
                for item in deleted:
                    self.say(f"  {label(item.object)}")
            if differing or deleted:
                self.say("(manage.py seed --restore writes the fixture values over them, after asking.)")
        self.say(f"Seed dataset checked: {len(missing)} record(s) created.", self.style.SUCCESS)
