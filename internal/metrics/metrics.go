// Package metrics holds leancoach's Prometheus metrics in a registry of its own.
//
// Every method is safe on a nil *Metrics and then does nothing, so a package can
// take an optional *Metrics without guarding each call. Label values that come from
// outside (event types, causes, reasons, API methods) are normalised by [label] so
// a surprising input can never create an unbounded number of series.
package metrics

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "leancoach"

// Metrics is the set of metrics one bot process exports. Construct it with New.
type Metrics struct {
	reg *prometheus.Registry

	connected    prometheus.Gauge
	socketsUp    prometheus.Gauge
	reconnects   *prometheus.CounterVec
	envelopes    *prometheus.CounterVec
	lastEnvelope prometheus.Gauge
	ackLatency   prometheus.Histogram
	badMessages  prometheus.Counter

	reconnectWaits       prometheus.Counter
	reconnectWaitSeconds prometheus.Counter

	promptsDue    prometheus.Counter
	promptsSent   prometheus.Counter
	promptsMissed prometheus.Counter
	promptsFailed *prometheus.CounterVec
	promptDelay   prometheus.Histogram

	interactionFailures *prometheus.CounterVec

	apiCalls       *prometheus.CounterVec
	apiRateLimited *prometheus.CounterVec
	apiErrors      *prometheus.CounterVec

	commitLatency prometheus.Histogram
	dbSize        *funcGauge
}

// New returns a Metrics with its own registry holding the leancoach metrics and the
// Go runtime and process collectors. Each call returns an independent set, so tests
// can run in parallel.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		connected: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Name: "socket_connected",
			Help: "1 while at least one Socket Mode WebSocket is connected, 0 otherwise.",
		}),
		socketsUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Name: "socket_connections",
			Help: "Socket Mode WebSockets connected now; the bot keeps two open.",
		}),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "socket_reconnects_total",
			Help: "Socket Mode reconnections by cause.",
		}, []string{"cause"}),
		envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "envelopes_total",
			Help: "Socket Mode envelopes received by type.",
		}, []string{"type"}),
		lastEnvelope: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Name: "socket_last_envelope_timestamp_seconds",
			Help: "Unix time of the last envelope received; alert on time() minus this when connected.",
		}),
		ackLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "ack_latency_seconds",
			Help:    "Time from receiving an envelope to acknowledging it (Slack allows 3 s).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5},
		}),
		badMessages: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "bad_messages_total",
			Help: "Socket Mode frames that could not be parsed.",
		}),
		reconnectWaits: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "socket_reconnect_waits_total",
			Help: "Calls to apps.connections.open held back by the bot's own reconnect brake.",
		}),
		reconnectWaitSeconds: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "socket_reconnect_wait_seconds_total",
			Help: "Time calls to apps.connections.open were held back by the reconnect brake.",
		}),
		promptsDue: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "prompts_due_total",
			Help: "Prompts that became due.",
		}),
		promptsSent: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "prompts_sent_total",
			Help: "Prompts posted to Slack.",
		}),
		promptsMissed: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "prompts_missed_total",
			Help: "Prompts recorded missed because they were too late to send.",
		}),
		promptsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "prompts_failed_total",
			Help: "Prompts that failed permanently, by reason.",
		}, []string{"reason"}),
		promptDelay: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "prompt_delay_seconds",
			Help:    "Delay between a prompt's due time and its post to Slack.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800},
		}),
		interactionFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "interaction_failures_total",
			Help: "Steps of a button click or modal that Slack did not carry out, by step and reason.",
		}, []string{"step", "reason"}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "slack_api_calls_total",
			Help: "Slack Web API requests by method.",
		}, []string{"method"}),
		apiRateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "slack_api_ratelimited_total",
			Help: "Slack Web API responses with HTTP 429, by method.",
		}, []string{"method"}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "slack_api_transport_errors_total",
			Help: "Slack Web API requests that got no HTTP response, by method.",
		}, []string{"method"}),
		commitLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "db_commit_seconds",
			Help:    "Duration of bbolt write transactions, fsync included.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		dbSize: newFuncGauge(prometheus.NewDesc(
			namespace+"_db_size_bytes", "Size of the bbolt database file.", nil, nil)),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.connected, m.socketsUp, m.reconnects, m.envelopes, m.lastEnvelope, m.ackLatency, m.badMessages,
		m.reconnectWaits, m.reconnectWaitSeconds,
		m.promptsDue, m.promptsSent, m.promptsMissed, m.promptsFailed, m.promptDelay,
		m.interactionFailures,
		m.apiCalls, m.apiRateLimited, m.apiErrors,
		m.commitLatency, m.dbSize,
	)
	return m
}

// Handler serves the registry in the Prometheus exposition format. On a nil
// *Metrics it answers 404.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:      m.reg,
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// funcGauge reports a gauge from a function installed after construction. Until a
// function is set it reports nothing, so a scrape never shows a made-up zero.
type funcGauge struct {
	desc *prometheus.Desc
	fn   atomic.Pointer[func() int64]
}

func newFuncGauge(desc *prometheus.Desc) *funcGauge { return &funcGauge{desc: desc} }

func (g *funcGauge) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

func (g *funcGauge) Collect(ch chan<- prometheus.Metric) {
	fn := g.fn.Load()
	if fn == nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, float64((*fn)()))
}

// seconds converts d for an observation; negative durations (clock steps) count as 0.
func seconds(d time.Duration) float64 {
	if d < 0 {
		return 0
	}
	return d.Seconds()
}
