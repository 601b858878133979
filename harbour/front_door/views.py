"""Partner agencies refer a child, and see the referrals they have sent (and nothing else)."""

from django.shortcuts import get_object_or_404, redirect, render

from harbour.access.decorators import requires
from harbour.access.middleware import take_draft
from harbour.front_door.forms import ReferralForm
from harbour.front_door.services import receive_referral
from harbour.journey.models import Contact


@requires("front_door.refer")
def refer(request):
    form = ReferralForm(request.POST or take_draft(request) or None)
    if request.method == "POST" and form.is_valid():
        contact = receive_referral(request.user, form.cleaned_data)
        return redirect("referral-sent", contact.pk)
    return render(request, "front_door/refer.html", {"form": form})


@requires("front_door.refer")
def sent(request):
    contacts = (
        Contact.objects.filter(created_by=request.user)
        .select_related("child")
        .order_by("-received_at")
    )
    return render(request, "front_door/sent.html", {"contacts": contacts})


@requires("front_door.refer")
def referral_sent(request, contact_id: int):
    contact = get_object_or_404(Contact, pk=contact_id, created_by=request.user)
    return render(request, "front_door/confirmation.html", {"contact": contact})
