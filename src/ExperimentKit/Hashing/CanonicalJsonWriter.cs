using System.Buffers;
using System.Buffers.Text;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ExperimentKit;

/// <summary>
/// Writes canonical JSON (canonical hash v1, section 3) as UTF-8 bytes into a caller-supplied buffer,
/// growing into pooled arrays when it is too small. Generated code drives it; it allocates nothing on the
/// heap for the common case.
/// </summary>
/// <remarks>
/// Object keys are written in the order the caller gives them: generated code emits members already sorted
/// by Unicode code point (see <see cref="CanonicalKeyComparer"/>), and sorts dictionary keys at run time.
/// Set elements are sorted by the writer itself when <see cref="WriteEndSet"/> is called.
/// Commas are the writer's job. Nesting is limited to <see cref="MaxDepth"/> levels.
/// Always <see cref="Dispose"/> the writer to return pooled buffers.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public ref struct CanonicalJsonWriter
{
    /// <summary>The deepest nesting of objects, arrays and sets the writer accepts.</summary>
    public const int MaxDepth = 64;

    private const int MinimumGrowth = 256;

    // Every character in 0x20-0x7E except the two that need escaping.
    private static readonly SearchValues<char> s_plainAscii = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private Span<byte> _buffer;
    private byte[]? _rentedBuffer;
    private int _position;

    // Open containers; level n (1-based) uses bit n - 1 of the masks below.
    private int _depth;
    private ulong _needsComma;
    private ulong _objectLevels;
    private ulong _setLevels;
    private bool _rootWritten;

    // For open sets: [frame of the enclosing set, element starts...] per set, innermost last.
    private int[]? _setStack;
    private int _setStackCount;
    private int _setFrame;
    private byte[]? _scratch;

    /// <summary>Creates a writer over an initial buffer (typically <c>stackalloc byte[512]</c>).</summary>
    /// <param name="initialBuffer">Where the text goes until it outgrows it; may be empty.</param>
    public CanonicalJsonWriter(Span<byte> initialBuffer)
    {
        _buffer = initialBuffer;
    }

    /// <summary>The bytes written so far.</summary>
    /// <remarks>Valid until the next write or <see cref="Dispose"/>.</remarks>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer[.._position];

    /// <summary>Starts an object: <c>{</c>.</summary>
    /// <exception cref="InvalidOperationException">Nesting exceeds <see cref="MaxDepth"/>.</exception>
    public void WriteStartObject() => StartContainer((byte)'{', isObject: true, isSet: false);

    /// <summary>Ends an object: <c>}</c>.</summary>
    /// <exception cref="InvalidOperationException">The innermost open container is not an object.</exception>
    public void WriteEndObject() => EndContainer((byte)'}', isObject: true, isSet: false);

    /// <summary>Starts an array: <c>[</c>.</summary>
    /// <exception cref="InvalidOperationException">Nesting exceeds <see cref="MaxDepth"/>.</exception>
    public void WriteStartArray() => StartContainer((byte)'[', isObject: false, isSet: false);

    /// <summary>Ends an array: <c>]</c>.</summary>
    /// <exception cref="InvalidOperationException">The innermost open container is not an array.</exception>
    public void WriteEndArray() => EndContainer((byte)']', isObject: false, isSet: false);

    /// <summary>Starts a set: written as an array whose elements are sorted by their canonical UTF-8 bytes.</summary>
    /// <exception cref="InvalidOperationException">Nesting exceeds <see cref="MaxDepth"/>.</exception>
    public void WriteStartSet()
    {
        StartContainer((byte)'[', isObject: false, isSet: true);
        PushSetEntry(_setFrame);
        _setFrame = _setStackCount;
    }

    /// <summary>Ends a set, sorting its elements.</summary>
    /// <remarks>Elements are ordered by ordinal comparison of their canonical UTF-8 bytes; equal elements are all kept.</remarks>
    /// <exception cref="InvalidOperationException">The innermost open container is not a set.</exception>
    public void WriteEndSet()
    {
        CheckEnd(isObject: false, isSet: true);
        SortSetElements();
        _setStackCount = _setFrame - 1;
        _setFrame = _setStack![_setStackCount];
        EndContainer((byte)']', isObject: false, isSet: true);
    }

    /// <summary>Writes a property name that is already escaped and quoted (<c>"\"dt\""u8</c>), then <c>:</c>.</summary>
    /// <param name="quotedEscapedName">The name as canonical JSON, quotes included.</param>
    /// <exception cref="InvalidOperationException">The innermost open container is not an object.</exception>
    public void WritePropertyName(ReadOnlySpan<byte> quotedEscapedName)
    {
        BeginProperty();
        EnsureCapacity(quotedEscapedName.Length + 1);
        quotedEscapedName.CopyTo(_buffer[_position..]);
        _position += quotedEscapedName.Length;
        _buffer[_position++] = (byte)':';
    }

    /// <summary>Writes a property name (escaping it), then <c>:</c>.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The innermost open container is not an object.</exception>
    public void WritePropertyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        BeginProperty();
        WriteQuotedEscaped(name);
        EnsureCapacity(1);
        _buffer[_position++] = (byte)':';
    }

    /// <summary>Writes <c>null</c>.</summary>
    public void WriteNull()
    {
        BeginValue();
        WriteRaw("null"u8);
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteBoolean(bool value)
    {
        BeginValue();
        WriteRaw(value ? "true"u8 : "false"u8);
    }

    /// <summary>Writes an integer.</summary>
    /// <param name="value">The value.</param>
    public void WriteInteger(long value)
    {
        BeginValue();
        EnsureCapacity(20);
        Utf8Formatter.TryFormat(value, _buffer[_position..], out int written);
        _position += written;
    }

    /// <summary>Writes an unsigned integer.</summary>
    /// <param name="value">The value.</param>
    public void WriteInteger(ulong value)
    {
        BeginValue();
        EnsureCapacity(20);
        Utf8Formatter.TryFormat(value, _buffer[_position..], out int written);
        _position += written;
    }

    /// <summary>Writes a double under the float rule.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ParameterValueException">The value is NaN or infinite.</exception>
    public void WriteDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw CanonicalFloat.NonFinite(value);
        }

        // Rounding and formatting together formats most values once instead of twice (see FormatCanonicalCore).
        BeginValue();
        EnsureCapacity(CanonicalFloat.MaxReprLength);
        _position += CanonicalFloat.FormatCanonicalCore(value, _buffer[_position..]);
    }

    /// <summary>Writes a float: its shortest round-trip text parsed as double, then the float rule.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ParameterValueException">The value is NaN or infinite.</exception>
    public void WriteSingle(float value) => WriteCanonicalFloat(CanonicalFloat.FromSingle(value));

    /// <summary>Writes a decimal: rounded to 12 significant digits (ties to even), parsed as double, then the float rule.</summary>
    /// <param name="value">The value.</param>
    public void WriteDecimal(decimal value) => WriteCanonicalFloat(CanonicalFloat.FromDecimal(value));

    /// <summary>Writes a string (escaped per section 3; not normalised).</summary>
    /// <param name="value">The text.</param>
    public void WriteString(ReadOnlySpan<char> value)
    {
        BeginValue();
        WriteQuotedEscaped(value);
    }

    /// <summary>Writes a string, or <c>null</c> when <paramref name="value"/> is null.</summary>
    /// <param name="value">The text, or null.</param>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNull();
        }
        else
        {
            WriteString(value.AsSpan());
        }
    }

    /// <summary>Writes a char as a string of length 1.</summary>
    /// <param name="value">The char.</param>
    public void WriteChar(char value)
    {
        BeginValue();
        WriteQuotedEscaped(new ReadOnlySpan<char>(in value));
    }

    /// <summary>Writes a <see cref="Guid"/> as a lowercase <c>D</c> string.</summary>
    /// <param name="value">The value.</param>
    public void WriteGuid(Guid value)
    {
        BeginValue();
        EnsureCapacity(64);
        _buffer[_position] = (byte)'"';
        value.TryFormat(_buffer[(_position + 1)..], out int written, "D");
        CloseQuotedAscii(written);
    }

    /// <summary>Writes a <see cref="DateTime"/> in the round-trip <c>O</c> format.</summary>
    /// <param name="value">The value.</param>
    public void WriteDateTime(DateTime value)
    {
        BeginValue();
        EnsureCapacity(64);
        _buffer[_position] = (byte)'"';
        value.TryFormat(_buffer[(_position + 1)..], out int written, "O", CultureInfo.InvariantCulture);
        CloseQuotedAscii(written);
    }

    /// <summary>Writes a <see cref="DateTimeOffset"/> in the round-trip <c>O</c> format.</summary>
    /// <param name="value">The value.</param>
    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        BeginValue();
        EnsureCapacity(64);
        _buffer[_position] = (byte)'"';
        value.TryFormat(_buffer[(_position + 1)..], out int written, "O", CultureInfo.InvariantCulture);
        CloseQuotedAscii(written);
    }

    /// <summary>Writes a <see cref="DateOnly"/> as <c>yyyy-MM-dd</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteDateOnly(DateOnly value)
    {
        BeginValue();
        EnsureCapacity(64);
        _buffer[_position] = (byte)'"';
        value.TryFormat(_buffer[(_position + 1)..], out int written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        CloseQuotedAscii(written);
    }

    /// <summary>Writes a <see cref="TimeOnly"/> as <c>HH:mm:ss.fffffff</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteTimeOnly(TimeOnly value)
    {
        BeginValue();
        EnsureCapacity(64);
        _buffer[_position] = (byte)'"';
        value.TryFormat(_buffer[(_position + 1)..], out int written, "HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
        CloseQuotedAscii(written);
    }

    /// <summary>Writes a <see cref="TimeSpan"/> in the constant <c>c</c> format.</summary>
    /// <param name="value">The value.</param>
    public void WriteTimeSpan(TimeSpan value)
    {
        BeginValue();
        EnsureCapacity(64);
        _buffer[_position] = (byte)'"';
        value.TryFormat(_buffer[(_position + 1)..], out int written, "c", CultureInfo.InvariantCulture);
        CloseQuotedAscii(written);
    }

    /// <summary>Returns pooled buffers.</summary>
    /// <remarks><see cref="WrittenSpan"/> is not valid afterwards.</remarks>
    public void Dispose()
    {
        if (_rentedBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_rentedBuffer);
            _rentedBuffer = null;
        }

        if (_setStack is not null)
        {
            ArrayPool<int>.Shared.Return(_setStack);
            _setStack = null;
        }

        if (_scratch is not null)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = null;
        }

        _buffer = default;
        _position = 0;
        _setStackCount = 0;
    }

    private void WriteCanonicalFloat(double rounded)
    {
        BeginValue();
        EnsureCapacity(CanonicalFloat.MaxReprLength);
        _position += CanonicalFloat.FormatReprCore(rounded, _buffer[_position..]);
    }

    /// <summary>Finishes a quoted ASCII value formatted after an opening quote at the current position.</summary>
    private void CloseQuotedAscii(int written)
    {
        _position += 1 + written;
        _buffer[_position++] = (byte)'"';
    }

    /// <summary>Writes a comma when the level already holds a value, and records set element starts.</summary>
    private void BeginValue()
    {
        if (_depth == 0)
        {
            if (_rootWritten)
            {
                throw new InvalidOperationException("Canonical JSON has a single root value; it was already written.");
            }

            _rootWritten = true;
            return;
        }

        ulong bit = 1UL << (_depth - 1);
        if ((_needsComma & bit) != 0)
        {
            EnsureCapacity(1);
            _buffer[_position++] = (byte)',';
        }
        else
        {
            _needsComma |= bit;
        }

        if ((_setLevels & bit) != 0)
        {
            PushSetEntry(_position);
        }
    }

    /// <summary>Writes a comma before every property but the first; the value that follows writes none.</summary>
    private void BeginProperty()
    {
        ulong bit = _depth == 0 ? 0 : 1UL << (_depth - 1);
        if ((_objectLevels & bit) == 0)
        {
            throw new InvalidOperationException("A property name can only be written directly inside an object.");
        }

        if ((_needsComma & bit) != 0)
        {
            EnsureCapacity(1);
            _buffer[_position++] = (byte)',';
            _needsComma &= ~bit;
        }
    }

    private void StartContainer(byte open, bool isObject, bool isSet)
    {
        if (_depth >= MaxDepth)
        {
            throw new InvalidOperationException(
                $"Canonical JSON nests at most {MaxDepth} levels of objects, arrays and sets; this value nests deeper.");
        }

        BeginValue();
        EnsureCapacity(1);
        _buffer[_position++] = open;
        _depth++;
        ulong bit = 1UL << (_depth - 1);
        _needsComma &= ~bit;
        _objectLevels = isObject ? _objectLevels | bit : _objectLevels & ~bit;
        _setLevels = isSet ? _setLevels | bit : _setLevels & ~bit;
    }

    private readonly void CheckEnd(bool isObject, bool isSet)
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("There is no open object, array or set to end.");
        }

        ulong bit = 1UL << (_depth - 1);
        if (((_objectLevels & bit) != 0) != isObject || ((_setLevels & bit) != 0) != isSet)
        {
            string open = (_objectLevels & bit) != 0 ? "an object" : (_setLevels & bit) != 0 ? "a set" : "an array";
            string end = isObject ? "an object" : isSet ? "a set" : "an array";
            throw new InvalidOperationException($"Cannot end {end}: the innermost open container is {open}.");
        }
    }

    private void EndContainer(byte close, bool isObject, bool isSet)
    {
        CheckEnd(isObject, isSet);
        EnsureCapacity(1);
        _buffer[_position++] = close;
        _depth--;
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer[_position..]);
        _position += bytes.Length;
    }

    /// <summary>Writes <c>"text"</c> with the escapes of section 3.</summary>
    private void WriteQuotedEscaped(scoped ReadOnlySpan<char> text)
    {
        EnsureCapacity(text.Length + 2);
        _buffer[_position++] = (byte)'"';
        while (!text.IsEmpty)
        {
            int special = text.IndexOfAnyExcept(s_plainAscii);
            int run = special < 0 ? text.Length : special;
            if (run > 0)
            {
                EnsureCapacity(run);
                Ascii.FromUtf16(text[..run], _buffer[_position..], out int written);
                _position += written;
            }

            if (special < 0)
            {
                break;
            }

            WriteEscaped(text[special]);
            text = text[(special + 1)..];
        }

        EnsureCapacity(1);
        _buffer[_position++] = (byte)'"';
    }

    private void WriteEscaped(char c)
    {
        EnsureCapacity(6);
        Span<byte> destination = _buffer[_position..];
        destination[0] = (byte)'\\';
        byte shortEscape = c switch
        {
            '"' => (byte)'"',
            '\\' => (byte)'\\',
            '\n' => (byte)'n',
            '\r' => (byte)'r',
            '\t' => (byte)'t',
            '\b' => (byte)'b',
            '\f' => (byte)'f',
            _ => 0,
        };

        if (shortEscape != 0)
        {
            destination[1] = shortEscape;
            _position += 2;
            return;
        }

        // \uXXXX, lowercase hex; surrogates (paired or lone) are escaped one code unit at a time.
        destination[1] = (byte)'u';
        destination[2] = HexDigit(c >> 12);
        destination[3] = HexDigit(c >> 8);
        destination[4] = HexDigit(c >> 4);
        destination[5] = HexDigit(c);
        _position += 6;
    }

    private static byte HexDigit(int value) => "0123456789abcdef"u8[value & 0xF];

    private void EnsureCapacity(int additional)
    {
        if (_buffer.Length - _position < additional)
        {
            Grow(additional);
        }
    }

    private void Grow(int additional)
    {
        int needed = checked(_position + additional);
        int size = Math.Max(Math.Max(needed, MinimumGrowth), (int)Math.Min(Array.MaxLength, 2L * _buffer.Length));
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        _buffer[.._position].CopyTo(next);
        if (_rentedBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_rentedBuffer);
        }

        _rentedBuffer = next;
        _buffer = next;
    }

    private void PushSetEntry(int value)
    {
        if (_setStack is null || _setStackCount == _setStack.Length)
        {
            GrowSetStack(_setStackCount + 1);
        }

        _setStack![_setStackCount++] = value;
    }

    private void GrowSetStack(int needed)
    {
        int size = Math.Max(Math.Max(needed, 16), 2 * (_setStack?.Length ?? 0));
        int[] next = ArrayPool<int>.Shared.Rent(size);
        if (_setStack is not null)
        {
            _setStack.AsSpan(0, _setStackCount).CopyTo(next);
            ArrayPool<int>.Shared.Return(_setStack);
        }

        _setStack = next;
    }

    /// <summary>Sorts the elements of the innermost open set in place, before its closing bracket is written.</summary>
    private void SortSetElements()
    {
        int frame = _setFrame;
        int count = _setStackCount - frame;
        if (count < 2)
        {
            return;
        }

        // Element starts become (start, length) pairs in place, from the last one backwards: pair i is written
        // at 2i and 2i+1, which only ever overwrites starts that were already read.
        if (_setStack!.Length < frame + (2 * count))
        {
            GrowSetStack(frame + (2 * count));
        }

        int[] stack = _setStack!;
        Span<ElementRange> elements = MemoryMarshal.Cast<int, ElementRange>(stack.AsSpan(frame, 2 * count));
        int end = _position;
        int firstStart = stack[frame];
        for (int i = count - 1; i >= 0; i--)
        {
            int start = stack[frame + i];
            int next = i == count - 1 ? end + 1 : stack[frame + i + 1];
            elements[i] = new ElementRange(start, next - 1 - start); // the comma before the next element is not part of it
        }

        ReadOnlySpan<byte> text = _buffer;
        if (IsSorted(elements, text))
        {
            return;
        }

        HeapSort(elements, text);

        int length = end - firstStart;
        if (_scratch is null || _scratch.Length < length)
        {
            if (_scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
            }

            _scratch = ArrayPool<byte>.Shared.Rent(Math.Max(length, MinimumGrowth));
        }

        Span<byte> copy = _scratch.AsSpan(0, length);
        _buffer[firstStart..end].CopyTo(copy);
        int p = firstStart;
        for (int i = 0; i < elements.Length; i++)
        {
            if (i > 0)
            {
                _buffer[p++] = (byte)',';
            }

            ElementRange e = elements[i];
            copy.Slice(e.Start - firstStart, e.Length).CopyTo(_buffer[p..]);
            p += e.Length;
        }
    }

    private static bool IsSorted(ReadOnlySpan<ElementRange> elements, ReadOnlySpan<byte> text)
    {
        for (int i = 1; i < elements.Length; i++)
        {
            if (Compare(elements[i - 1], elements[i], text) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int Compare(ElementRange a, ElementRange b, ReadOnlySpan<byte> text)
        => text.Slice(a.Start, a.Length).SequenceCompareTo(text.Slice(b.Start, b.Length));

    /// <summary>An in-place heap sort: no delegate, no boxed comparer, no allocation.</summary>
    private static void HeapSort(Span<ElementRange> items, ReadOnlySpan<byte> text)
    {
        int n = items.Length;
        for (int i = (n / 2) - 1; i >= 0; i--)
        {
            SiftDown(items, i, n, text);
        }

        for (int last = n - 1; last > 0; last--)
        {
            (items[0], items[last]) = (items[last], items[0]);
            SiftDown(items, 0, last, text);
        }
    }

    private static void SiftDown(Span<ElementRange> items, int root, int count, ReadOnlySpan<byte> text)
    {
        while (true)
        {
            int child = (2 * root) + 1;
            if (child >= count)
            {
                return;
            }

            if (child + 1 < count && Compare(items[child + 1], items[child], text) > 0)
            {
                child++;
            }

            if (Compare(items[child], items[root], text) <= 0)
            {
                return;
            }

            (items[root], items[child]) = (items[child], items[root]);
            root = child;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct ElementRange
    {
        public readonly int Start;
        public readonly int Length;

        public ElementRange(int start, int length)
        {
            Start = start;
            Length = length;
        }
    }
}
