"""hpo plug-in specs from Python arguments: ("tpe", {"multivariate": True})
becomes "tpe:multivariate=true", as docs/plugin-options.md writes them."""


def _option_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def make_spec(spec, options):
    if not isinstance(spec, str) or not spec:
        raise TypeError("hpo: a plug-in spec is a non-empty string such as "
                        "'tpe' or 'tpe:multivariate=true', not %r" % (spec,))
    if not options:
        return spec
    text = ",".join("%s=%s" % (k, _option_text(v))
                    for k, v in options.items())
    return spec + ("," if ":" in spec else ":") + text
