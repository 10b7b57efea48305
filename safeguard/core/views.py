from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from safeguard.access.policy import works_with_children


@login_required
def home(request):
    return render(request, "core/home.html", {"works_with_children": works_with_children(request.user)})
