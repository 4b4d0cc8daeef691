from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, with JavaScript module imports rewritten to the hashed names."""

    support_js_module_import_aggregation = True
    manifest_strict = True
