// Draws the dashboard's charts from the JSON block the page carries (no inline script: CSP).
(function () {
  "use strict";
  const palette = ["#1f4e79", "#c0504d", "#4f81bd", "#9bbb59", "#8064a2", "#f79646", "#2c9c9c", "#7f7f7f", "#d4a017", "#5b3a29", "#e377c2", "#17becf"];

  function valueAxis(chart) {
    // Counts are whole numbers; a share of deadlines runs from 0 to 100 %.
    return chart.percent ? { min: 0, max: 100 } : { ticks: { precision: 0 } };
  }

  // Long labels (Thai stage and clock names) on lines of about LINE characters, broken
  // between words: Thai writes no spaces, the browser's segmenter finds the words.
  const LINE = 24;
  const segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter("th", { granularity: "word" }) : null;

  function wrapped(label) {
    if (label.length <= LINE) {
      return label;
    }
    const parts = segmenter ? Array.from(segmenter.segment(label), function (part) { return part.segment; }) : label.split(/(?<=\s)/);
    // An opening bracket goes with the word after it: no line ends with "(".
    const words = [];
    parts.forEach(function (part) {
      if (words.length && /[(\[]\s*$/.test(words[words.length - 1])) {
        words[words.length - 1] += part;
      } else {
        words.push(part);
      }
    });
    const lines = [""];
    words.forEach(function (word) {
      if (lines[lines.length - 1].length + word.length > LINE && lines[lines.length - 1].trim()) {
        lines.push("");
      }
      lines[lines.length - 1] += word;
    });
    return lines.map(function (line) { return line.trim(); });
  }

  function draw(chart, canvas) {
    const many = chart.type === "doughnut";
    // One series: horizontal bars, so that long Thai labels stay readable.
    const horizontal = chart.type === "bar" && chart.series.length === 1;
    const scales = {};
    if (!many) {
      scales[horizontal ? "x" : "y"] = valueAxis(chart);
      // Every bar keeps its name: Chart.js would leave out every other label that does not fit.
      scales[horizontal ? "y" : "x"] = { ticks: { autoSkip: false } };
    }
    const labels = many ? chart.labels : chart.labels.map(wrapped);
    if (horizontal) {
      // Room for every line of every label: a bar per label, its name on one or more lines.
      const lines = labels.reduce(function (sum, label) { return sum + (Array.isArray(label) ? label.length : 1); }, 0);
      const box = canvas.parentNode;
      box.style.height = Math.max(box.clientHeight, lines * 20 + 60) + "px";
    }
    new window.Chart(canvas, {
      type: chart.type,
      data: {
        labels: labels,
        datasets: chart.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: many ? palette : palette[index % palette.length],
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: many || chart.series.length > 1 } },
        scales: scales,
        font: { family: "Sarabun, sans-serif" },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const source = document.getElementById("chart-data");
    if (!source || !window.Chart) {
      return;
    }
    window.Chart.defaults.font.family = "Sarabun, sans-serif";
    window.Chart.defaults.font.size = 14;
    JSON.parse(source.textContent).forEach(function (chart) {
      const canvas = document.querySelector('canvas[data-chart="' + chart.id + '"]');
      if (canvas) {
        draw(chart, canvas);
      }
    });
  });
})();
