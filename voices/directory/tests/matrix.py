from voices.core.tests.matrix import EVERYONE, PROGRAMME_STAFF, Case

CASES = [
    Case("directory:country_list", EVERYONE),
    Case("directory:country_detail", EVERYONE, kwargs=lambda w: {"code": "at"}),
    Case("directory:organisation_list", EVERYONE),
    Case("directory:organisation_create", PROGRAMME_STAFF),
    Case("directory:organisation_detail", EVERYONE, kwargs=lambda w: {"slug": w.other_org.slug}),
    Case(
        "directory:organisation_edit", PROGRAMME_STAFF, kwargs=lambda w: {"slug": w.other_org.slug}
    ),
    Case(
        "directory:organisation_people",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"slug": w.other_org.slug},
    ),
    Case(
        "directory:organisation_person_remove",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"slug": w.other_org.slug, "grant_id": w.other_grant.pk},
        method="post",
    ),
    Case(
        "directory:organisation_document_upload",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"slug": w.other_org.slug},
        method="post",
    ),
]
