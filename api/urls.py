from django.contrib import admin
from django.urls import path

admin.site.site_header = "Treaty API curation"
admin.site.site_title = "Treaty API"

urlpatterns = [
    path("admin/", admin.site.urls),
]
