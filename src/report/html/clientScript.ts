/**
 * The page's own script (plain browser JavaScript, run after Chart.js): reads the embedded chart
 * data (see chartData.ts) and draws every chart. Two small Chart.js plugins draw what Chart.js has no
 * built-in for: shaded phase and fault bands and fault-step lines on throughput charts, and ± stddev
 * error bars on bar charts.
 * When done it sets `window.__mqbenchCharts = [{id, type, points, bands, markers}]` (points: elements
 * Chart.js laid out inside the plot area; bands and markers: shaded intervals and vertical lines the
 * band plugin drew there) so tests can check every chart drew what was computed for it;
 * `window.__mqbenchRecount()` counts again (after a capacity chart's selector changed what it shows).
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('mqbench-data').textContent);
  var Chart = window.Chart;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.color = '#334155';

  var RATE_COLORS = { published: '#2563eb', confirmed: '#d97706', consumed: '#16a34a' };
  var RATE_DASH = { published: [], confirmed: [6, 3], consumed: [] };
  var RATE_WIDTH = { published: 3, confirmed: 2, consumed: 1.5 };
  // Lower order is drawn on top: the thin consumed line stays visible where the three coincide.
  var RATE_ORDER = { published: 3, confirmed: 2, consumed: 1 };
  var LEGEND = { position: 'bottom', labels: { usePointStyle: true, pointStyle: 'line', pointStyleWidth: 28,
    sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } };
  var PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#d97706', '#0891b2', '#db2777', '#65a30d', '#475569', '#7c3aed'];
  var NINES = ['0%', '90%', '99%', '99.9%', '99.99%', '99.999%'];

  function color(i) { return PALETTE[i % PALETTE.length]; }
  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function fmtRate(v) { return Math.round(v).toLocaleString('en-US'); }
  function fmtMs(v) { return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2); }
  function percentile(x) {
    if (x <= 0) return '0';
    var p = 100 * (1 - Math.pow(10, -x));
    return p.toFixed(Math.max(1, Math.ceil(x) - 1)).replace(/\.?0+$/, '');
  }
  function axisTitle(text) { return { display: true, text: text }; }

  var BAND_FILL = { warmup: 'rgba(100,116,139,0.18)', drain: 'rgba(234,88,12,0.08)', fault: 'rgba(220,38,38,0.13)' };
  var BAND_TEXT = { warmup: '#475569', drain: '#c2410c', fault: '#991b1b' };

  // Shades the warm-up interval, marks the drain (a tinted band with a dashed line where it starts),
  // shades every fault window and draws a vertical line where each fault step was requested.
  // Counts what it drew inside the plot area on chart.$mqbench, for the page's report to tests.
  function bandsPlugin(bands, markers) {
    return {
      id: 'mqbenchBands',
      beforeDatasetsDraw: function (chart) {
        var ctx = chart.ctx, area = chart.chartArea, xs = chart.scales.x;
        var drawn = { bands: 0, markers: 0 }, faultRow = 0;
        ctx.font = '11px ' + Chart.defaults.font.family;
        bands.forEach(function (b) {
          var x0 = Math.max(area.left, xs.getPixelForValue(b.from));
          var x1 = Math.min(area.right, xs.getPixelForValue(b.to));
          if (!(x1 > x0)) return;
          drawn.bands++;
          ctx.save();
          ctx.fillStyle = BAND_FILL[b.kind];
          ctx.fillRect(x0, area.top, x1 - x0, area.bottom - area.top);
          if (b.kind === 'drain') {
            ctx.strokeStyle = 'rgba(234,88,12,0.7)';
            ctx.setLineDash([4, 4]);
            ctx.beginPath();
            ctx.moveTo(x0, area.top);
            ctx.lineTo(x0, area.bottom);
            ctx.stroke();
          }
          ctx.setLineDash([]);
          ctx.fillStyle = BAND_TEXT[b.kind];
          ctx.textBaseline = 'top';
          // Overlapping fault windows put their labels on successive rows, so each stays readable.
          var y = area.top + 4 + (b.kind === 'fault' ? 14 * (faultRow++ % 3) : 0);
          // The label, or its first word, centred in the band; if neither fits (a drain of a few ms),
          // the first word outside: right of a warm-up band, left of a drain band; a fault band keeps none.
          var short = b.label.split(' ')[0];
          var fits = [b.label, short].filter(function (s) { return ctx.measureText(s).width + 8 <= x1 - x0; })[0];
          if (fits) {
            ctx.textAlign = 'center';
            ctx.fillText(fits, (x0 + x1) / 2, y);
          } else if (b.kind === 'warmup') {
            ctx.textAlign = 'left';
            ctx.fillText(short, x1 + 4, y);
          } else if (b.kind === 'drain') {
            ctx.textAlign = 'right';
            ctx.fillText(short, x0 - 4, y);
          }
          ctx.restore();
        });
        markers.forEach(function (m) {
          var x = xs.getPixelForValue(m.at);
          if (!(x >= area.left - 0.5 && x <= area.right + 0.5)) return;
          drawn.markers++;
          ctx.save();
          ctx.strokeStyle = m.failed ? '#64748b' : '#b91c1c';
          ctx.lineWidth = 1.5;
          ctx.setLineDash(m.failed ? [2, 3] : [6, 3]);
          ctx.beginPath();
          ctx.moveTo(x, area.top);
          ctx.lineTo(x, area.bottom);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.fillStyle = m.failed ? '#475569' : '#991b1b';
          ctx.textAlign = 'left';
          ctx.textBaseline = 'bottom';
          ctx.fillText(m.label + (m.failed ? ' (failed)' : ''), x + 3, area.bottom - 3);
          ctx.restore();
        });
        chart.$mqbench = drawn;
      }
    };
  }

  // Draws mean ± stddev whiskers on each bar (datasets carry a parallel "stddev" array).
  var errorBarsPlugin = {
    id: 'mqbenchErrorBars',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, ys = chart.scales.y, area = chart.chartArea;
      chart.data.datasets.forEach(function (ds, i) {
        if (!chart.isDatasetVisible(i)) return;
        chart.getDatasetMeta(i).data.forEach(function (bar, j) {
          var sd = ds.stddev[j], mean = ds.data[j];
          if (!(sd > 0)) return;
          var top = Math.max(area.top, ys.getPixelForValue(mean + sd));
          var bottom = Math.min(area.bottom, ys.getPixelForValue(mean - sd));
          var cap = Math.min(8, bar.width * 0.3);
          ctx.save();
          ctx.strokeStyle = '#0f172a';
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - cap, top); ctx.lineTo(bar.x + cap, top);
          ctx.moveTo(bar.x - cap, bottom); ctx.lineTo(bar.x + cap, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };

  function throughputConfig(spec) {
    var markers = spec.markers || [];
    // Fault windows restored at the end of the run may reach past the last interval: keep them on the axis.
    var right = 0;
    spec.bands.forEach(function (b) { right = Math.max(right, b.to); });
    markers.forEach(function (m) { right = Math.max(right, m.at); });
    return {
      type: 'line',
      data: {
        datasets: ['published', 'confirmed', 'consumed'].map(function (k) {
          return {
            label: k, data: spec.series[k], borderColor: RATE_COLORS[k], backgroundColor: RATE_COLORS[k],
            borderDash: RATE_DASH[k], borderWidth: RATE_WIDTH[k], order: RATE_ORDER[k], pointRadius: 2.5, pointHoverRadius: 4
          };
        }).concat(spec.target ? [{
          // The rate schedule's target: a thin dashed grey step line behind the measured rates.
          label: 'target', data: spec.target, borderColor: '#888', backgroundColor: '#888', borderDash: [6, 4],
          borderWidth: 1.5, order: 10, pointRadius: 0, pointHoverRadius: 3, stepped: 'middle'
        }] : [])
      },
      options: {
        parsing: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, suggestedMax: right, title: axisTitle('seconds since start') },
          y: { beginAtZero: true, title: axisTitle('msgs/s'), ticks: { callback: function (v) { return fmtRate(v); } } }
        },
        plugins: {
          legend: LEGEND,
          tooltip: { callbacks: {
            title: function (items) { return 't = ' + items[0].parsed.x.toFixed(1) + ' s'; },
            label: function (item) { return item.dataset.label + ': ' + fmtRate(item.parsed.y) + ' msgs/s'; }
          } }
        }
      },
      plugins: [bandsPlugin(spec.bands, markers)]
    };
  }

  function latencyConfig(spec) {
    var datasets = [];
    spec.curves.forEach(function (c, i) {
      datasets.push({
        label: c.label + (c.raw ? ' (corrected)' : ''), data: c.corrected, borderColor: color(i),
        backgroundColor: color(i), borderWidth: 2, pointRadius: 0, pointHoverRadius: 3
      });
      if (c.raw) {
        datasets.push({
          label: c.label + ' (raw)', data: c.raw, borderColor: alpha(color(i), 0.8),
          backgroundColor: alpha(color(i), 0.8), borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 3
        });
      }
    });
    return {
      type: 'line',
      data: { datasets: datasets },
      options: {
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: {
            type: 'linear', min: 0, max: spec.maxX, title: axisTitle('percentile'),
            ticks: { stepSize: 1, callback: function (v) { return Number.isInteger(v) ? NINES[v] : ''; } }
          },
          y: { beginAtZero: true, title: axisTitle('latency (ms)') }
        },
        plugins: {
          legend: LEGEND,
          tooltip: { callbacks: {
            title: function (items) { return 'p' + percentile(items[0].parsed.x); },
            label: function (item) { return item.dataset.label + ': ' + fmtMs(item.parsed.y) + ' ms'; }
          } }
        }
      }
    };
  }

  function barsConfig(spec) {
    var top = 0;
    spec.series.forEach(function (s) { s.mean.forEach(function (m, j) { top = Math.max(top, m + s.stddev[j]); }); });
    return {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s) {
          return {
            label: s.key, data: s.mean, stddev: s.stddev, n: s.n,
            backgroundColor: alpha(RATE_COLORS[s.key], 0.75), borderColor: RATE_COLORS[s.key], borderWidth: 1
          };
        })
      },
      options: {
        scales: {
          x: { title: axisTitle('cell') },
          y: { beginAtZero: true, suggestedMax: top * 1.05, title: axisTitle('msgs/s (mean ± stddev over repetitions)'),
               ticks: { callback: function (v) { return fmtRate(v); } } }
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: {
            label: function (item) {
              var ds = item.dataset, j = item.dataIndex;
              return ds.label + ': ' + fmtRate(ds.data[j]) + ' ± ' + fmtRate(ds.stddev[j]) + ' msgs/s (n = ' + ds.n[j] + ')';
            }
          } }
        }
      },
      plugins: [errorBarsPlugin]
    };
  }

  function depthConfig(spec) {
    var right = 0;
    spec.bands.forEach(function (b) { right = Math.max(right, b.to); });
    spec.markers.forEach(function (m) { right = Math.max(right, m.at); });
    return {
      type: 'line',
      data: {
        datasets: [{
          label: 'ready messages', data: spec.points, borderColor: '#7c3aed', backgroundColor: alpha('#7c3aed', 0.12),
          fill: 'origin', borderWidth: 2, pointRadius: 2, pointHoverRadius: 4, spanGaps: false
        }]
      },
      options: {
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, suggestedMax: right, title: axisTitle('seconds since start') },
          y: { beginAtZero: true, title: axisTitle('messages in the queues'), ticks: { callback: function (v) { return fmtRate(v); } } }
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: {
            title: function (items) { return 't = ' + items[0].parsed.x.toFixed(1) + ' s'; },
            label: function (item) { return fmtRate(item.parsed.y) + ' ready messages'; }
          } }
        }
      },
      plugins: [bandsPlugin(spec.bands, spec.markers)]
    };
  }

  var METRIC_LABEL = { e2eP50: 'e2e p50', e2eP99: 'e2e p99', confirmP50: 'confirm p50', confirmP99: 'confirm p99' };
  var METRIC_COLOR = { e2eP50: '#60a5fa', e2eP99: '#1d4ed8', confirmP50: '#f59e0b', confirmP99: '#b45309' };
  var METRIC_DASH = { e2eP50: [], e2eP99: [], confirmP50: [6, 3], confirmP99: [6, 3] };
  var METRIC_WIDTH = { e2eP50: 1.5, e2eP99: 2.5, confirmP50: 1.5, confirmP99: 2.5 };
  var SEARCH_LABEL = { sustained: 'search: sustained (e2e p99)', notSustained: 'search: not sustained (e2e p99)', probe: 'probe: full speed (e2e p99)' };
  var SEARCH_STYLE = { sustained: 'circle', notSustained: 'crossRot', probe: 'rectRot' };

  // Latency against achieved throughput: x = consumed msgs/s, y = latency on a log axis. One curve:
  // a colour per latency figure. Several (matrix cells): a colour per cell, and a selector (when the
  // spec has choices) showing one figure at a time. Data stays in measuring order, so Chart.js parses
  // it (a line may turn back left when less was achieved at a higher target).
  function capacityConfig(spec) {
    var many = spec.curves.length > 1;
    var shown = spec.choices ? spec.choices[0].metrics : null;
    // One range for every figure (the selector does not rescale), padded so no point sits on the frame.
    var lo = Infinity, hi = 0;
    spec.lines.concat(spec.searchPoints).forEach(function (l) { l.points.forEach(function (p) { lo = Math.min(lo, p.y); hi = Math.max(hi, p.y); }); });
    var datasets = [];
    spec.lines.forEach(function (l) {
      var c = many ? color(l.curve) : METRIC_COLOR[l.metric];
      datasets.push({
        label: (many ? spec.curves[l.curve] + ': ' : '') + METRIC_LABEL[l.metric], data: l.points, metric: l.metric,
        borderColor: c, backgroundColor: c, borderDash: METRIC_DASH[l.metric], borderWidth: METRIC_WIDTH[l.metric],
        pointRadius: 3, pointHoverRadius: 5, hidden: shown ? shown.indexOf(l.metric) < 0 : false
      });
    });
    spec.searchPoints.forEach(function (g) {
      var base = many ? color(g.curve) : '#475569';
      datasets.push({
        label: (many ? spec.curves[g.curve] + ': ' : '') + SEARCH_LABEL[g.kind], data: g.points, metric: 'e2eP99', search: true,
        showLine: false, pointStyle: SEARCH_STYLE[g.kind], pointRadius: 5, pointHoverRadius: 6, borderWidth: 1.5,
        borderColor: alpha(base, 0.5), backgroundColor: alpha(base, 0.18), hidden: shown ? shown.indexOf('e2eP99') < 0 : false
      });
    });
    return {
      type: 'line',
      data: { datasets: datasets },
      options: {
        interaction: { mode: 'nearest', intersect: true },
        scales: {
          x: { type: spec.axes.x.type, beginAtZero: true, title: axisTitle(spec.axes.x.title), ticks: { callback: function (v) { return fmtRate(v); } } },
          y: { type: spec.axes.y.type, title: axisTitle(spec.axes.y.title), min: lo / 1.5, max: hi * 1.5,
               ticks: { callback: function (v) {
                 var e = Math.pow(10, Math.floor(Math.log10(v))), m = Math.round(v / e);
                 return (m === 1 || m === 2 || m === 5) && Math.abs(v - m * e) < 1e-9 * e ? Number(v.toPrecision(1)).toLocaleString('en-US') : '';
               } } }
        },
        plugins: {
          legend: { position: 'bottom', labels: {
            usePointStyle: true,
            // Lines as lines, the faint search points as their marks.
            generateLabels: function (chart) {
              return Chart.defaults.plugins.legend.labels.generateLabels(chart).map(function (item) {
                if (!chart.data.datasets[item.datasetIndex].search) item.pointStyle = 'line';
                return item;
              });
            },
            // With a selector, the legend lists only what is shown.
            filter: function (item, data) { return !data.datasets[item.datasetIndex].$offChoice; },
            sort: function (a, b) { return a.datasetIndex - b.datasetIndex; }
          } },
          tooltip: { callbacks: {
            title: function (items) { return fmtRate(items[0].parsed.x) + ' msgs/s consumed'; },
            label: function (item) {
              var p = item.dataset.data[item.dataIndex];
              var asked = p.target === 0 ? 'full speed' : 'target ' + fmtRate(p.target) + ' msgs/s' + (p.fraction !== null ? ' (' + Math.round(p.fraction * 1000) / 10 + ' % of capacity)' : '');
              return item.dataset.label + ': ' + fmtMs(item.parsed.y) + ' ms; ' + asked;
            }
          } }
        }
      }
    };
  }

  // The selector of a capacity chart: shows the chosen figures' lines, hides the others.
  function wireChoices(spec, chart) {
    if (spec.type !== 'capacity' || !spec.choices) return;
    var select = document.getElementById(spec.id + '-metric');
    if (!select) throw new Error('mqbench report: no selector for chart ' + spec.id);
    function show(k) {
      var metrics = spec.choices[k].metrics;
      chart.data.datasets.forEach(function (ds, i) {
        var on = metrics.indexOf(ds.metric) >= 0;
        ds.$offChoice = !on;
        chart.setDatasetVisibility(i, on);
      });
      chart.update();
    }
    select.addEventListener('change', function () { show(Number(select.value)); });
    show(Number(select.value));
  }

  var CONFIGS = { throughput: throughputConfig, latency: latencyConfig, bars: barsConfig, depth: depthConfig, capacity: capacityConfig };

  // Elements Chart.js laid out at a finite position inside the plot area, over the visible datasets.
  function drawnPoints(chart) {
    var area = chart.chartArea, n = 0;
    chart.data.datasets.forEach(function (ds, i) {
      if (!chart.isDatasetVisible(i)) return;
      chart.getDatasetMeta(i).data.forEach(function (el) {
        if (isFinite(el.x) && isFinite(el.y) && !el.skip &&
            el.x >= area.left - 1 && el.x <= area.right + 1 && el.y >= area.top - 1 && el.y <= area.bottom + 1) n++;
      });
    });
    return n;
  }

  var charts = [];
  data.charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) throw new Error('mqbench report: no canvas for chart ' + spec.id);
    var chart = new Chart(canvas, CONFIGS[spec.type](spec));
    wireChoices(spec, chart);
    charts.push({ spec: spec, chart: chart });
  });
  function count() {
    return charts.map(function (c) {
      var drawn = c.chart.$mqbench || { bands: 0, markers: 0 };
      return { id: c.spec.id, type: c.spec.type, points: drawnPoints(c.chart), bands: drawn.bands, markers: drawn.markers };
    });
  }
  window.__mqbenchCharts = count();
  window.__mqbenchRecount = function () { window.__mqbenchCharts = count(); return window.__mqbenchCharts; };
})();
`;
