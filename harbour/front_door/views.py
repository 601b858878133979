"""Partner agencies refer a child, and see the referrals they have sent (and nothing else):
whether each is decided, and what the front door told them. Never the threshold reasoning,
never the record of the child Harbour matched the referral to."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from harbour.access.decorators import requires
from harbour.access.middleware import take_draft
from harbour.front_door.forms import ReferralForm
from harbour.front_door.selectors import sent_by
from harbour.front_door.services import receive_referral

SENT_PAGE = 25


@requires("front_door.refer")
def refer(request):
    form = ReferralForm(request.POST or take_draft(request) or None)
    if request.method == "POST" and form.is_valid():
        contact = receive_referral(request.user, form.cleaned_data, request=request)
        return redirect("referral-sent", contact.pk)
    return render(request, "front_door/refer.html", {"form": form})


@requires("front_door.refer")
def sent(request):
    page = Paginator(sent_by(request.user), SENT_PAGE).get_page(request.GET.get("page"))
    return render(request, "front_door/sent.html", {"contacts": page.object_list, "page": page})


@requires("front_door.refer")
def referral_sent(request, contact_id: int):
    contact = get_object_or_404(sent_by(request.user), pk=contact_id)
    return render(request, "front_door/confirmation.html", {"contact": contact})
