"""Import and export of the curated records (django-import-export), for the admin.

Related records are written and read by slug (many-to-many as comma-separated slugs); integer ids and
versions are left out. Each imported row goes through the model's ``full_clean()``, the same rules as the
admin forms and the APIs, and an import commits all its rows or none.
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

UNEXPORTED = {"id", "version"}


class CuratedResource(resources.ModelResource):
    class Meta:
        clean_model_instances = True  # the model's rules, as in the admin and the APIs
        skip_unchanged = True
        report_skipped = True

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)  # one bad row: nothing is imported
        return super().import_data(dataset, **kwargs)


def _has_slug(model) -> bool:
    return any(field.name == "slug" for field in model._meta.fields)


def resource_for(model) -> type[CuratedResource]:
    """The resource of ``model``: its own fields, with relations by slug."""
    declared, names = {}, []
    for field in model._meta.get_fields():
        if not field.concrete or field.name in UNEXPORTED:
            continue
        if field.many_to_many:
            if not field.remote_field.through._meta.auto_created or not _has_slug(field.related_model):
                continue  # relations with data of their own (party roles, lineage) are records of their own
            widget = ManyToManyWidget(field.related_model, separator=",", field="slug")
        elif field.is_relation:
            widget = ForeignKeyWidget(field.related_model, field="slug")
        else:
            names.append(field.name)
            continue
        declared[field.name] = fields.Field(attribute=field.name, column_name=field.name, widget=widget)
        names.append(field.name)
    meta = {"model": model, "fields": names}
    if _has_slug(model):
        meta["import_id_fields"] = ["slug"]
    meta_class = type("Meta", (CuratedResource.Meta,), meta)
    return type(f"{model.__name__}Resource", (CuratedResource,), {**declared, "Meta": meta_class})
