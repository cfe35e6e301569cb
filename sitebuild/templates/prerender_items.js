{#- Bokeh 3.10.2's doc_js.js.jinja (recorded in templates/bokeh-3.10.2/), which draws the page's
    prerendered document, with two changes marked: what it drew is kept in window.prerendered, so that
    the page script (templates/page.js) can keep it when the worker sends the same document; and a render
    made without this page (the worker's, sitebuild/snapshot.py passes its `root_ids`) finds its elements
    here. -#}
{% extends "try_run.js.jinja" %}

{% block code_to_run %}
  const docs_json = {{ docs_json }};
  const render_items = {{ render_items }};
  {%- if root_ids %}
  {#- sitebuild: the worker's render names no element of this page: its roots go to the page's root
      elements as Panel's page script maps them (templates/page.js), in the order of their data-root-id. #}
  const root_ids = {{ root_ids }};
  const elements = [...document.querySelectorAll('[data-root-id]')].map((el) => [el.getAttribute('data-root-id'), el.id]);
  elements.sort((a, b) => a[0] < b[0] ? -1 : 1);
  if (elements.length !== root_ids.length) {
    throw new Error(`the page has ${elements.length} root elements for ${root_ids.length} roots`);
  }
  render_items[0].roots = Object.fromEntries(root_ids.map((id, i) => [id, elements[i][1]]));
  render_items[0].root_ids = root_ids;
  {%- endif %}
  window.prerendered = root.Bokeh.embed.embed_items(docs_json, render_items{%- if app_path -%}, "{{ app_path }}" {%- endif -%}{%- if absolute_url -%}, "{{ absolute_url }}" {%- endif -%});
{% endblock %}
