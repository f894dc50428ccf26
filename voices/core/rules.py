import rules


def _owner_perm(verb: str):
    @rules.predicate
    def predicate(user, attachment) -> bool:
        if attachment is None:
            return False
        owner = attachment.owner
        if owner is None:
            return False
        meta = owner._meta
        return user.has_perm(f"{meta.app_label}.{verb}_{meta.model_name}_document", owner)

    return predicate


# An attachment is as visible as its owner's documents: the owner's app decides.
rules.add_perm("core.view_attachment", _owner_perm("view"))
rules.add_perm("core.delete_attachment", _owner_perm("delete"))
