#include "forecast/forecastnet.h"

#include <cmath>
#include <string>
#include <torch/nn/functional/activation.h>

namespace headroom::forecast {

ForecastNetImpl::ForecastNetImpl(int inputs, const std::vector<int> &hidden, int outputs)
{
    int width = inputs;
    std::vector<int> widths = hidden;
    widths.push_back(outputs);
    for (std::size_t i = 0; i < widths.size(); ++i) {
        const auto name = "layer" + std::to_string(i);
        m_layers.push_back(register_module(name, torch::nn::Linear(width, widths[i])));
        width = widths[i];
    }
}

torch::Tensor ForecastNetImpl::forward(torch::Tensor x)
{
    const std::size_t last = m_layers.size() - 1;
    for (std::size_t i = 0; i < last; ++i)
        x = torch::relu(m_layers[i]->forward(x));
    return m_layers[last]->forward(x);
}

torch::Tensor quantileHeads(const torch::Tensor &raw, int horizons)
{
    const torch::Tensor p50 = raw.slice(1, 0, horizons);
    const torch::Tensor p90 = p50 + torch::nn::functional::softplus(raw.slice(1, horizons));
    return torch::cat({p50, p90}, 1);
}

float softplus(float raw)
{
    return raw > 20.0f ? raw : std::log1p(std::exp(raw));
}

long long parameterCount(int inputs, const std::vector<int> &hidden, int outputs)
{
    long long count = 0;
    int width = inputs;
    std::vector<int> widths = hidden;
    widths.push_back(outputs);
    for (int next : widths) {
        count += static_cast<long long>(width) * next + next;
        width = next;
    }
    return count;
}

} // namespace headroom::forecast
