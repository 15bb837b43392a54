"""Who may see who made a change: editors and administrators (curators), not anonymous clients or accounts
without a role, so the history does not hand out the admin logins to guess at."""

from treaty import roles


def may_see_curators(user) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_is_curator"):  # once per request (each authenticates its user anew), not per revision
        groups = user.groups.filter(name__in=[roles.EDITOR, roles.ADMINISTRATOR])
        user._is_curator = user.is_superuser or groups.exists()
    return user._is_curator
