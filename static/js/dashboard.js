// Draws the dashboard's charts from the JSON block the page carries (no inline script: CSP).
(function () {
  "use strict";
  const palette = ["#1f4e79", "#c0504d", "#4f81bd", "#9bbb59", "#8064a2", "#f79646", "#2c9c9c", "#7f7f7f", "#d4a017", "#5b3a29", "#e377c2", "#17becf"];

  function draw(chart, canvas) {
    const many = chart.type === "doughnut";
    new window.Chart(canvas, {
      type: chart.type,
      data: {
        labels: chart.labels,
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
        // One series: horizontal bars, so that long Thai labels stay readable.
        indexAxis: chart.type === "bar" && chart.series.length === 1 ? "y" : "x",
        plugins: { legend: { display: many || chart.series.length > 1 } },
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
