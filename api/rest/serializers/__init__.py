"""The REST representations, split by role (as NetBox splits its serializers): shared fields (``fields``), brief
forms of related records (``brief``), records as lists and detail pages show them (``records``), the analyses'
answers (``analyses``), and what editors send (``writes``). Everything is importable from here."""

from api.rest.serializers.analyses import *  # noqa: F403
from api.rest.serializers.brief import *  # noqa: F403
from api.rest.serializers.fields import *  # noqa: F403
from api.rest.serializers.records import *  # noqa: F403
from api.rest.serializers.writes import *  # noqa: F403
