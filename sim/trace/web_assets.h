/*
 * web_assets.h - the HTML trace's page, embedded at build time: web/trace.html,
 * web/trace.css, web/trace_state.js, web/trace_svg.js and web/trace.js as byte arrays (tools/embed.sh generates
 * $(BUILD)/gen/web_assets.c from them; see the Makefile).  Each array ends
 * with a 0 byte that *_len does not count.
 */
#ifndef IPCSIM_WEB_ASSETS_H
#define IPCSIM_WEB_ASSETS_H

#include <stddef.h>

extern const unsigned char web_trace_html[];
extern const size_t web_trace_html_len;
extern const unsigned char web_trace_css[];
extern const size_t web_trace_css_len;
extern const unsigned char web_trace_state_js[];
extern const size_t web_trace_state_js_len;
extern const unsigned char web_trace_svg_js[];
extern const size_t web_trace_svg_js_len;
extern const unsigned char web_trace_js[];
extern const size_t web_trace_js_len;

#endif
