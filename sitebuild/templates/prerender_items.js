{#- Bokeh 3.10.2's doc_js.js.jinja (recorded in templates/bokeh-3.10.2/), which draws the page's
    prerendered document, with one change marked: what it drew is kept in window.prerendered, so that
    the page script (templates/page.js) can keep it when the worker sends the same document. -#}
{% extends "try_run.js.jinja" %}

{% block code_to_run %}
  const docs_json = {{ docs_json }};
  const render_items = {{ render_items }};
  window.prerendered = root.Bokeh.embed.embed_items(docs_json, render_items{%- if app_path -%}, "{{ app_path }}" {%- endif -%}{%- if absolute_url -%}, "{{ absolute_url }}" {%- endif -%});
{% endblock %}
