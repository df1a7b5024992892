using System;
using System.Text.Json;

namespace CoroutineGen;

/// <summary>
/// The JSON Lines framing shared by <see cref="Sources.FromJsonLines{T}"/>, <see cref="Sinks.ToJsonLines{T}"/> and
/// <see cref="Sinks.ToChildProcess{T}"/>: one value per line, as compact JSON, each line ended by <c>\n</c>.
/// </summary>
internal static class JsonLines
{
    /// <summary>The options for writing: <paramref name="options"/> or the defaults, checked to write one line per value.</summary>
    public static JsonSerializerOptions ForWriting(JsonSerializerOptions? options, string parameterName)
    {
        if (options is null)
        {
            return JsonSerializerOptions.Default;
        }

        if (options.WriteIndented)
        {
            throw new ArgumentException(
                "JSON Lines needs one value per line: use JsonSerializerOptions with WriteIndented = false.", parameterName);
        }

        return options;
    }

    /// <summary>The JSON of <paramref name="value"/>, checked to fit on one line.</summary>
    public static string Serialize<T>(T value, JsonSerializerOptions options)
    {
        string json = JsonSerializer.Serialize(value, options);
        if (json.IndexOf('\n') >= 0 || json.IndexOf('\r') >= 0)
        {
            throw LineBreak(typeof(T));
        }

        return json;
    }

    /// <summary>The UTF-8 JSON of <paramref name="value"/> followed by <c>\n</c>, checked to fit on one line.</summary>
    public static byte[] SerializeUtf8Line<T>(T value, JsonSerializerOptions options)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, options);
        if (Array.IndexOf(json, (byte)'\n') >= 0 || Array.IndexOf(json, (byte)'\r') >= 0)
        {
            throw LineBreak(typeof(T));
        }

        var line = new byte[json.Length + 1];
        Buffer.BlockCopy(json, 0, line, 0, json.Length);
        line[json.Length] = (byte)'\n';
        return line;
    }

    /// <summary>Reads the value on line <paramref name="lineNumber"/> (from 1), saying which line is wrong if it is.</summary>
    public static T Deserialize<T>(string line, long lineNumber, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, options)!;
        }
        catch (JsonException e)
        {
            throw new JsonException(
                $"Line {lineNumber} of the JSON Lines input is not a valid {TypeName(typeof(T))}: {e.Message}",
                e.Path,
                lineNumber - 1,
                e.BytePositionInLine,
                e);
        }
    }

    private static InvalidOperationException LineBreak(Type type) => new(
        $"The JSON written for a {TypeName(type)} contains a line break (a custom converter that writes raw JSON?), but JSON " +
        "Lines needs each value on one line.");

    private static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name;
        int tick = name.IndexOf('`');
        var arguments = Array.ConvertAll(type.GetGenericArguments(), TypeName);
        return $"{(tick < 0 ? name : name.Substring(0, tick))}<{string.Join(", ", arguments)}>";
    }
}
