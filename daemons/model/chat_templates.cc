#include "daemons/model/chat_templates.h"

namespace hai::model {

// Every tag strips the whitespace before it ({%- and {{-), so the layout
// below is for reading only; '\n' inside the string literals is Jinja's
// escape and becomes a newline when the template runs.

std::string ChatMLTemplate() {
  return R"jinja({%- for message in messages %}
    {%- if loop.first and message['role'] != 'system' %}
        {{- '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}
    {%- endif %}
    {{- '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\n' }}
{%- endif %})jinja";
}

std::string Llama3Template() {
  return R"jinja({{- bos_token }}
{%- for message in messages %}
    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' }}
    {{- message['content'] | trim }}
    {{- '<|eot_id|>' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}
{%- endif %})jinja";
}

}  // namespace hai::model
