/*
 * trace_html.c - the self-contained HTML trace: web/trace.html with its
 * stylesheet, its script and the JSON trace put in at the template's
 * markers, in this order:
 *
 *   ... <style>  @IPCSIM_TRACE_CSS@  </style> ...
 *   <script type="application/json" id="ipcsim-trace">  @IPCSIM_TRACE_JSON@  </script>
 *   <script>  @IPCSIM_TRACE_JS@  </script> ...     (trace_state.js, trace_svg.js, trace.js)
 *
 * trace_html_head writes everything before the JSON, trace_html_tail
 * everything after it, so the JSON streams in between (trace.c).
 */
#include <string.h>

#include "trace/trace_int.h"
#include "trace/web_assets.h"

#define MARK_CSS "@IPCSIM_TRACE_CSS@"
#define MARK_JSON "@IPCSIM_TRACE_JSON@"
#define MARK_JS "@IPCSIM_TRACE_JS@"

static const char *template_find(const char *mark)
{
	return strstr((const char *)web_trace_html, mark);
}

static int write_span(FILE *out, const char *from, const char *to)
{
	return fwrite(from, 1, (size_t)(to - from), out) == (size_t)(to - from) ? 0 : -1;
}

int trace_html_head(FILE *out)
{
	const char *start = (const char *)web_trace_html;
	const char *css = template_find(MARK_CSS), *json = template_find(MARK_JSON);

	if (css == NULL || json == NULL || json < css)
		return -1; /* a broken template: caught by the tests */
	if (write_span(out, start, css) < 0 ||
	    fwrite(web_trace_css, 1, web_trace_css_len, out) != web_trace_css_len)
		return -1;
	return write_span(out, css + strlen(MARK_CSS), json);
}

int trace_html_tail(FILE *out)
{
	const char *json = template_find(MARK_JSON), *js = template_find(MARK_JS);
	const char *end = (const char *)web_trace_html + web_trace_html_len;

	if (json == NULL || js == NULL || js < json)
		return -1;
	if (write_span(out, json + strlen(MARK_JSON), js) < 0 ||
	    fwrite(web_trace_state_js, 1, web_trace_state_js_len, out) != web_trace_state_js_len ||
	    fputc('\n', out) == EOF ||
	    fwrite(web_trace_svg_js, 1, web_trace_svg_js_len, out) != web_trace_svg_js_len ||
	    fputc('\n', out) == EOF ||
	    fwrite(web_trace_js, 1, web_trace_js_len, out) != web_trace_js_len)
		return -1;
	return write_span(out, js + strlen(MARK_JS), end);
}
