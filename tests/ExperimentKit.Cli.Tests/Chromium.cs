using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExperimentKit.Cli.Tests;

/// <summary>
/// A headless Chromium driven over the DevTools protocol with a plain WebSocket: navigate, evaluate, click,
/// screenshot, and collect script errors. Kills only the process it started (and that process's group).
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];
    private readonly Lock _gate = new();
    private Task _reader = Task.CompletedTask;
    private int _nextId;
    private string? _session;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Script errors: uncaught exceptions and console.error calls.</summary>
    public List<string> Errors { get; } = [];

    public static string? Find() => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public static async Task<Chromium> StartAsync(string executable)
    {
        var profile = Path.Combine(Path.GetTempPath(), "expkit-chromium-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                     "--remote-debugging-port=0", "--window-size=1280,900", "about:blank",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var browser = new Chromium(process, profile);
        try
        {
            _ = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? url = null;
            while (url is null)
            {
                var line = await process.StandardError.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("Chromium exited before it listened for DevTools.");
                const string marker = "DevTools listening on ";
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    url = line[(at + marker.Length)..].Trim();
                }
            }

            _ = Task.Run(async () =>
            {
                // Keep draining stderr so Chromium never blocks on a full pipe.
                while (await process.StandardError.ReadLineAsync() is not null)
                {
                }
            });
            await browser._socket.ConnectAsync(new Uri(url), timeout.Token);
            browser._reader = Task.Run(browser.ReadLoopAsync);
            var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, session: false);
            var attached = await browser.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, session: false);
            browser._session = attached["sessionId"]!.GetValue<string>();
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Page.enable");
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    public async Task NavigateAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        // Wait until the document has loaded and the page script has run.
        for (var i = 0; i < 100; i++)
        {
            if (await EvaluateAsync("document.readyState") is JsonValue v && v.GetValue<string>() == "complete")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{url} did not finish loading.");
    }

    /// <summary>Evaluates an expression and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"{expression} threw: {exception.ToJsonString()}");
        }

        return result["result"]?["value"]?.DeepClone();
    }

    public async Task ScreenshotAsync(string path)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result["data"]!.GetValue<string>()));
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null, bool session = true)
    {
        var source = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_gate)
        {
            id = ++_nextId;
            _pending[id] = source;
        }

        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        if (session && _session is not null)
        {
            message["sessionId"] = _session;
        }

        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        return await source.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var text = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                text.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                var message = JsonNode.Parse(text.ToArray())!;
                text.SetLength(0);
                if (message["id"] is { } idNode)
                {
                    TaskCompletionSource<JsonNode>? source;
                    lock (_gate)
                    {
                        _pending.Remove(idNode.GetValue<int>(), out source);
                    }

                    if (message["error"] is { } error)
                    {
                        source?.TrySetException(new InvalidOperationException(error.ToJsonString()));
                    }
                    else
                    {
                        source?.TrySetResult(message["result"] ?? new JsonObject());
                    }
                }
                else if (message["method"]?.GetValue<string>() is "Runtime.exceptionThrown")
                {
                    lock (Errors)
                    {
                        Errors.Add(message["params"]!["exceptionDetails"]!.ToJsonString());
                    }
                }
                else if (message["method"]?.GetValue<string>() is "Runtime.consoleAPICalled" && message["params"]!["type"]!.GetValue<string>() is "error" or "assert")
                {
                    lock (Errors)
                    {
                        Errors.Add("console.error: " + message["params"]!["args"]!.ToJsonString());
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        if (!_process.HasExited)
        {
            // Chromium's renderer and GPU helpers are its children: kill the whole tree of the process we started.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }

        _process.Dispose();
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
