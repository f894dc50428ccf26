"""The Inquiry Lab's pages; each area keeps its own list of paths."""

from . import (
    brief_urls,
    challenge_urls,
    forwarding_urls,
    mentor_urls,
    result_urls,
    team_urls,
)

app_name = "inquirylab"

urlpatterns = [
    *challenge_urls.urlpatterns,
    *team_urls.urlpatterns,
    *mentor_urls.urlpatterns,
    *brief_urls.urlpatterns,
    *result_urls.urlpatterns,
    *forwarding_urls.urlpatterns,
]
