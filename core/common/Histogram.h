#pragma once

#include <algorithm>
#include <array>
#include <iterator>

// A Prometheus-style histogram of durations in seconds: counts per upper bound (not cumulative: the exposition sums
// them), the sum and the count. A plain value: its owner guards it.
class Histogram
{
public:
    // From 5 ms to 5 minutes: a cached answer to a long stream.
    static constexpr std::array<double, 15> kBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                    2.5,   5,    10,    30,   60,  120,  300};

    void observe(double seconds)
    {
        const auto bucket = std::lower_bound(kBounds.begin(), kBounds.end(), seconds) - kBounds.begin();
        ++m_counts[size_t(bucket)]; // the last is +Inf
        m_sum += seconds;
        ++m_count;
    }

    void merge(const Histogram& other)
    {
        for (size_t i = 0; i < m_counts.size(); ++i)
            m_counts[i] += other.m_counts[i];
        m_sum += other.m_sum;
        m_count += other.m_count;
    }

    // Observations up to kBounds[i], or all of them for i == kBounds.size().
    qint64 cumulative(size_t i) const
    {
        qint64 total = 0;
        for (size_t j = 0; j <= i && j < m_counts.size(); ++j)
            total += m_counts[j];
        return total;
    }
    double sum() const { return m_sum; }
    qint64 count() const { return m_count; }

private:
    std::array<qint64, kBounds.size() + 1> m_counts{};
    double m_sum = 0;
    qint64 m_count = 0;
};
