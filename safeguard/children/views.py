from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from safeguard.access.policy import (
    break_glass_open,
    child_for_user,
    children_visible_to,
    works_with_children,
)

from .models import Child


@login_required
def search(request):
    if not works_with_children(request.user):
        raise Http404
    children = children_visible_to(request.user, session_key=request.session.session_key or "")[:50]
    return render(request, "children/search.html", {"children": children})


@login_required
def detail(request, child_id: int):
    access = child_for_user(request.user, child_id, request=request, record_view=True)
    return render(request, "children/detail.html", {"child": access.child, "access": access})


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="Your reason is recorded and shown to the named lead of the child's lead agency.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": "Enter why you need to open this record"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Say why you need to open this record, in at least 10 characters")
        return reason


@login_required
def break_glass(request, child_id: int):
    if not works_with_children(request.user):
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = Child.objects.filter(pk=child_id, merged_into__isnull=True).first()
        if child is None:
            raise Http404
        break_glass_open(user=request.user, child=child, reason=form.cleaned_data["reason"], request=request)
        return redirect("children:detail", child_id=child.pk)
    return render(request, "children/break_glass.html", {"form": form, "child_id": child_id})
