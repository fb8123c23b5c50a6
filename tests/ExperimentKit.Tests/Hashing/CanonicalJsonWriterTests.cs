using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using static ExperimentKit.Tests.Hashing.WriterHarness;

namespace ExperimentKit.Tests.Hashing;

public class CanonicalJsonWriterTests
{
    [Theory]
    [InlineData("plain text", "\"plain text\"")]
    [InlineData("quote\" back\\", "\"quote\\\" back\\\\\"")]
    [InlineData("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"")]
    [InlineData("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001f\"")]
    [InlineData("\u007f", "\"\\u007f\"")]
    [InlineData("a/b", "\"a/b\"")]
    [InlineData("café", "\"caf\\u00e9\"")]
    [InlineData("€ 中", "\"\\u20ac \\u4e2d\"")]
    [InlineData("\u2028\uffff", "\"\\u2028\\uffff\"")]
    [InlineData("😀", "\"\\ud83d\\ude00\"")]
    [InlineData("", "\"\"")]
    [InlineData(" ~", "\" ~\"")]
    public void Strings_are_escaped_as_python_ensure_ascii(string value, string expected)
        => Assert.Equal(expected, WriteString(value));

    [Fact]
    public void Lone_surrogates_are_escaped_as_themselves()
    {
        // Built in code: attribute arguments cannot carry unpaired surrogates through metadata.
        string text = new(['\ud800', 'x', '\udfff', '\ude00', '\ud83d']);

        Assert.Equal("\"\\ud800x\\udfff\\ude00\\ud83d\"", WriteString(text));
    }

    [Fact]
    public void Strings_are_not_normalised()
    {
        string composed = "\u00e9";
        string decomposed = "e\u0301";

        Assert.Equal("\"\\u00e9\"", WriteString(composed));
        Assert.Equal("\"e\\u0301\"", WriteString(decomposed));
    }

    [Fact]
    public void Escaped_strings_are_printable_ascii_and_read_back_unchanged()
    {
        Gen.String.Where(s => !HasLoneSurrogate(s)).Sample(s =>
        {
            string json = WriteString(s);
            Assert.All(json, c => Assert.InRange(c, ' ', '~'));
            Assert.DoesNotContain("\\u00E", json, StringComparison.Ordinal);
            Assert.Equal(s, JsonSerializer.Deserialize<string>(json));
        }, iter: 5_000);
    }

    [Fact]
    public void Null_strings_are_null()
        => Assert.Equal("null", Write((ref CanonicalJsonWriter w) => w.WriteString((string?)null)));

    [Fact]
    public void Commas_separate_values_at_every_level()
    {
        string json = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("\"a\""u8);
            w.WriteStartArray();
            w.WriteInteger(1L);
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteStartArray();
            w.WriteBoolean(true);
            w.WriteBoolean(false);
            w.WriteEndArray();
            w.WriteEndArray();
            w.WritePropertyName("b");
            w.WriteStartObject();
            w.WritePropertyName("c");
            w.WriteNull();
            w.WritePropertyName("d");
            w.WriteString("x");
            w.WriteEndObject();
            w.WritePropertyName("e");
            w.WriteDouble(2.0);
            w.WriteEndObject();
        });

        Assert.Equal("{\"a\":[1,[],{},[true,false]],\"b\":{\"c\":null,\"d\":\"x\"},\"e\":2.0}", json);
    }

    [Fact]
    public void Both_property_name_overloads_write_the_same_bytes()
    {
        string fromUtf8 = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("\"a\\\"b\\u00e9\""u8);
            w.WriteInteger(1L);
            w.WritePropertyName("\"z\""u8);
            w.WriteInteger(2L);
            w.WriteEndObject();
        });
        string fromString = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("a\"bé");
            w.WriteInteger(1L);
            w.WritePropertyName("z");
            w.WriteInteger(2L);
            w.WriteEndObject();
        });

        Assert.Equal("{\"a\\\"b\\u00e9\":1,\"z\":2}", fromString);
        Assert.Equal(fromString, fromUtf8);
    }

    [Fact]
    public void Integers_cover_the_full_long_and_ulong_ranges()
    {
        string json = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartArray();
            w.WriteInteger(long.MinValue);
            w.WriteInteger(long.MaxValue);
            w.WriteInteger(ulong.MaxValue);
            w.WriteInteger(0L);
            w.WriteInteger(-7L);
            w.WriteEndArray();
        });

        Assert.Equal("[-9223372036854775808,9223372036854775807,18446744073709551615,0,-7]", json);
    }

    [Fact]
    public void Floats_follow_the_float_rule_and_repr()
    {
        string json = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartArray();
            w.WriteDouble(0.1 + 0.2);
            w.WriteDouble(-0.0);
            w.WriteDouble(1e-13);
            w.WriteDouble(1e16);
            w.WriteDouble(1.0);
            w.WriteSingle(0.1f);
            w.WriteDecimal(1.50m);
            w.WriteDecimal(decimal.MaxValue);
            w.WriteEndArray();
        });

        Assert.Equal("[0.3,0.0,1e-13,1e+16,1.0,0.1,1.5,7.92281625143e+28]", json);
    }

    [Fact]
    public void A_non_finite_member_is_reported_without_a_path_for_generated_code_to_complete()
    {
        ParameterValueException? error = null;
        try
        {
            Write((ref CanonicalJsonWriter w) =>
            {
                w.WriteStartObject();
                w.WritePropertyName("dropout");
                w.WriteDouble(double.NaN);
            });
        }
        catch (ParameterValueException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Equal(string.Empty, error.MemberPath);
        Assert.Equal("is NaN; canonical hash v1 accepts only finite numbers. Fix the value or mark the member [NotHashed].", error.Problem);
        ParameterValueException located = error.AtMember("Dropout").AtMember("Model");
        Assert.Equal("Model.Dropout", located.MemberPath);
        Assert.StartsWith("'Model.Dropout': is NaN", located.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_times_and_guids_are_invariant_strings()
    {
        var guid = new Guid("0F8FAD5B-D9CB-469F-A165-70867728950E");
        string json = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartArray();
            w.WriteGuid(guid);
            w.WriteDateTime(new DateTime(2024, 3, 5, 6, 7, 8, DateTimeKind.Utc).AddTicks(1234567));
            w.WriteDateTime(new DateTime(2024, 3, 5, 6, 7, 8, DateTimeKind.Unspecified));
            w.WriteDateTimeOffset(new DateTimeOffset(2024, 3, 5, 6, 7, 8, TimeSpan.FromHours(-7.5)));
            w.WriteDateOnly(new DateOnly(99, 1, 2));
            w.WriteTimeOnly(new TimeOnly(6, 7, 8));
            w.WriteTimeSpan(new TimeSpan(-1, -2, -3, -4, -5));
            w.WriteTimeSpan(TimeSpan.FromMinutes(90));
            w.WriteEndArray();
        });

        Assert.Equal(
            "[\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"2024-03-05T06:07:08.1234567Z\",\"2024-03-05T06:07:08.0000000\","
            + "\"2024-03-05T06:07:08.0000000-07:30\",\"0099-01-02\",\"06:07:08.0000000\",\"-1.02:03:04.0050000\",\"01:30:00\"]",
            json);
    }

    [Fact]
    public void Set_elements_are_sorted_by_their_canonical_bytes()
    {
        string json = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("ns");
            w.WriteStartSet();
            w.WriteInteger(10L);
            w.WriteInteger(9L);
            w.WriteInteger(100L);
            w.WriteInteger(-1L);
            w.WriteEndSet();
            w.WritePropertyName("tags");
            w.WriteStartSet();
            w.WriteString("b");
            w.WriteString("ab");
            w.WriteString("a");
            w.WriteString("é");
            w.WriteString("B");
            w.WriteEndSet();
            w.WriteEndObject();
        });

        // "-" < digits; "\"a\"" < "\"ab\"" because '"' < 'b'; "\\u00e9" starts with '\\' (0x5C), between 'B' and 'a'.
        Assert.Equal("{\"ns\":[-1,10,100,9],\"tags\":[\"B\",\"\\u00e9\",\"a\",\"ab\",\"b\"]}", json);
    }

    [Fact]
    public void Sets_keep_equal_elements_and_handle_zero_and_one_element()
    {
        string json = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartArray();
            w.WriteStartSet();
            w.WriteEndSet();
            w.WriteStartSet();
            w.WriteString("only");
            w.WriteEndSet();
            w.WriteStartSet();
            w.WriteString("b");
            w.WriteString("a");
            w.WriteString("b");
            w.WriteEndSet();
            w.WriteEndArray();
        });

        Assert.Equal("[[],[\"only\"],[\"a\",\"b\",\"b\"]]", json);
    }

    [Fact]
    public void Nested_sets_are_sorted_inside_out()
    {
        string json = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartSet();
            w.WriteStartSet();          // {3, 1} -> [1,3]
            w.WriteInteger(3L);
            w.WriteInteger(1L);
            w.WriteEndSet();
            w.WriteStartObject();       // {"s": {"z","y"}} -> {"s":["y","z"]}
            w.WritePropertyName("s");
            w.WriteStartSet();
            w.WriteString("z");
            w.WriteString("y");
            w.WriteEndSet();
            w.WriteEndObject();
            w.WriteStartSet();          // {2} -> [2]
            w.WriteInteger(2L);
            w.WriteEndSet();
            w.WriteStartSet();          // {{"b"},{"a"}} -> [["a"],["b"]]
            w.WriteStartSet();
            w.WriteString("b");
            w.WriteEndSet();
            w.WriteStartSet();
            w.WriteString("a");
            w.WriteEndSet();
            w.WriteEndSet();
            w.WriteEndSet();
        });

        Assert.Equal("[[1,3],[2],[[\"a\"],[\"b\"]],{\"s\":[\"y\",\"z\"]}]", json);
    }

    [Fact]
    public void Large_sets_match_an_ordinal_sort_of_the_element_texts()
    {
        Gen.Int.Array[0, 300].Sample(values =>
        {
            string json = Write((ref CanonicalJsonWriter w) =>
            {
                w.WriteStartSet();
                foreach (int v in values)
                {
                    w.WriteInteger((long)v);
                }

                w.WriteEndSet();
            }, initialBuffer: 16);

            string[] texts = values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
            Array.Sort(texts, StringComparer.Ordinal);
            Assert.Equal("[" + string.Join(",", texts) + "]", json);
        }, iter: 500);
    }

    [Fact]
    public void A_set_that_grows_the_buffer_midway_is_still_sorted()
    {
        string[] words = Enumerable.Range(0, 200).Select(i => new string((char)('a' + (i * 7 % 26)), 40 + (i % 5))).ToArray();
        string json = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("words");
            w.WriteStartSet();
            foreach (string word in words)
            {
                w.WriteString(word);
            }

            w.WriteEndSet();
            w.WriteEndObject();
        }, initialBuffer: 8);

        string[] sorted = words.Select(s => "\"" + s + "\"").OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.Equal("{\"words\":[" + string.Join(",", sorted) + "]}", json);
    }

    [Fact]
    public void A_long_string_grows_past_the_initial_buffer()
    {
        string text = string.Concat(Enumerable.Repeat("abc\u00e9\"", 30_000));
        string json = Write((ref CanonicalJsonWriter w) => w.WriteString(text), initialBuffer: 64);

        string expected = "\"" + string.Concat(Enumerable.Repeat("abc\\u00e9\\\"", 30_000)) + "\"";
        Assert.Equal(expected, json);
    }

    [Fact]
    public void Many_members_grow_past_the_initial_buffer()
    {
        const int count = 10_000;
        string json = Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartObject();
            for (int i = 0; i < count; i++)
            {
                w.WritePropertyName("m" + i.ToString("D5", CultureInfo.InvariantCulture));
                w.WriteDouble(i + 0.5);
            }

            w.WriteEndObject();
        }, initialBuffer: 32);

        var expected = new StringBuilder("{");
        for (int i = 0; i < count; i++)
        {
            expected.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"\"m{i:D5}\":{i}.5");
        }

        Assert.Equal(expected.Append('}').ToString(), json);
    }

    [Fact]
    public void A_default_writer_starts_empty_and_grows()
    {
        var writer = default(CanonicalJsonWriter);
        try
        {
            writer.WriteStartArray();
            writer.WriteString("x");
            writer.WriteEndArray();
            Assert.Equal("[\"x\"]", Encoding.UTF8.GetString(writer.WrittenSpan));
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Fact]
    public void Nesting_is_limited_with_a_clear_error()
    {
        string deepest = Write((ref CanonicalJsonWriter w) =>
        {
            for (int i = 0; i < CanonicalJsonWriter.MaxDepth; i++)
            {
                w.WriteStartArray();
            }

            for (int i = 0; i < CanonicalJsonWriter.MaxDepth; i++)
            {
                w.WriteEndArray();
            }
        });
        Assert.Equal(new string('[', 64) + new string(']', 64), deepest);

        var error = Assert.Throws<InvalidOperationException>(() => Write((ref CanonicalJsonWriter w) =>
        {
            for (int i = 0; i <= CanonicalJsonWriter.MaxDepth; i++)
            {
                w.WriteStartSet();
            }
        }));
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Misuse_is_reported()
    {
        Assert.Throws<InvalidOperationException>(() => Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartArray();
            w.WriteEndObject();
        }));
        Assert.Throws<InvalidOperationException>(() => Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartSet();
            w.WriteEndArray();
        }));
        Assert.Throws<InvalidOperationException>(() => Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartArray();
            w.WriteEndSet();
        }));
        Assert.Throws<InvalidOperationException>(() => Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartArray();
            w.WritePropertyName("x");
        }));
        Assert.Throws<InvalidOperationException>(() => Write((ref CanonicalJsonWriter w) => w.WriteEndArray()));
        Assert.Throws<InvalidOperationException>(() => Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteInteger(1L);
            w.WriteInteger(2L);
        }));
        Assert.Throws<ArgumentNullException>(() => Write((ref CanonicalJsonWriter w) =>
        {
            w.WriteStartObject();
            w.WritePropertyName((string)null!);
        }));
    }

    [Fact]
    public void The_example_in_the_docs_hashes_as_documented()
    {
        Span<byte> buffer = stackalloc byte[256];
        var w = new CanonicalJsonWriter(buffer);
        try
        {
            // Train(10, 0.1 + 0.2, Optimizer.Adam, [64, 32], ["vision", "baseline"]), members in code-point order.
            w.WriteStartObject();
            w.WritePropertyName("Epochs");
            w.WriteInteger(10L);
            w.WritePropertyName("Layers");
            w.WriteStartArray();
            w.WriteInteger(64L);
            w.WriteInteger(32L);
            w.WriteEndArray();
            w.WritePropertyName("LearningRate");
            w.WriteDouble(0.1 + 0.2);
            w.WritePropertyName("Optimizer");
            w.WriteString("Adam");
            w.WritePropertyName("Tags");
            w.WriteStartSet();
            w.WriteString("vision");
            w.WriteString("baseline");
            w.WriteEndSet();
            w.WriteEndObject();

            ParamsHash hash = ParamsHash.Compute(w.WrittenSpan);
            Assert.Equal("{\"Epochs\":10,\"Layers\":[64,32],\"LearningRate\":0.3,\"Optimizer\":\"Adam\",\"Tags\":[\"baseline\",\"vision\"]}", Encoding.UTF8.GetString(w.WrittenSpan));
            Assert.Equal("6bbe9a1a9aacaf42", hash.ToString());
            Assert.Equal("6bbe9a1a9aacaf429eccd1114c299587b452e6d0e5d0f6f03171aeb53c85409c", hash.ToSha256String());
        }
        finally
        {
            w.Dispose();
        }
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }
}
