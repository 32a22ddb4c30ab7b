using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;

namespace Recaps.Tests.Api.Fuzz;

/// <summary>
/// Strings for the fuzzer: code points drawn from a pool that mixes what clients send (ASCII, accented
/// and right-to-left letters, CJK, emoji outside the BMP) with what tests the rules (white space,
/// control, bidi and format characters); and strings matching a pattern, for the subset of regular
/// expressions the document uses: literals, <c>\uXXXX</c> escapes, character classes, non-capturing
/// groups with alternatives, and the quantifiers <c>? * + {n} {n,m}</c>.
/// </summary>
internal static class PatternGen
{
    /// <summary>Characters a client plausibly sends, each one code point.</summary>
    public static readonly string[] Plain =
    [
        .. Enumerable.Range(' ', '~' - ' ' + 1).Select(c => ((char)c).ToString()),
        "é", "ß", "ñ", "Ω", "я", "ж", "א", "ש", "ع", "中", "日", "한", "ü", "\u00A0", "\u3000", "\u200E", "\u200F", "\u061C", "\u200D", "\u0301", "\uFEFF",
        "😀", "𝄞", "𠜎", "👍", "🏽",
    ];

    /// <summary>Characters the rules are about: line breaks, tabs, control characters, bidi embeddings, overrides and isolates.</summary>
    public static readonly string[] Hostile = ["\t", "\n", "\r", "\0", "\u0001", "\u001B", "\u007F", "\u0085", "\u009F", "\u202A", "\u202E", "\u2066", "\u2069"];

    /// <summary>Mostly plain text; one string in four mixes in the characters the rules are about.</summary>
    private static readonly Gen<Gen<string>> Palette = Gen.Frequency(
        (3, Gen.Const(Gen.OneOf(Plain))),
        (1, Gen.Const(Gen.Frequency((10, Gen.OneOf(Plain)), (1, Gen.OneOf(Hostile))))));

    /// <summary>A string of <paramref name="min"/>–<paramref name="max"/> code points, biased to short ones and to both ends.</summary>
    public static Gen<string> Text(int min, int max) =>
        Gen.Select(Gen.Frequency((6, Gen.Int[min, Math.Min(max, min + 12)]), (2, Gen.Int[min, max]), (1, Gen.Const(max)), (1, Gen.Const(min))), Palette)
            .SelectMany(pair => pair.Item2.Array[pair.Item1])
            .Select(string.Concat);

    /// <summary>Strings matching <paramref name="pattern"/> (anchored at both ends).</summary>
    public static Gen<string> Matching(string pattern)
    {
        var position = 0;
        return Alternatives(pattern.TrimStart('^').TrimEnd('$'), ref position);
    }

    private static Gen<string> Alternatives(string pattern, ref int position)
    {
        var branches = new List<Gen<string>> { Sequence(pattern, ref position) };
        while (position < pattern.Length && pattern[position] == '|')
        {
            position++;
            branches.Add(Sequence(pattern, ref position));
        }

        return branches.Count == 1 ? branches[0] : Gen.OneOf([.. branches]);
    }

    private static Gen<string> Sequence(string pattern, ref int position)
    {
        var atoms = new List<Gen<string>>();
        while (position < pattern.Length && pattern[position] is not ('|' or ')'))
        {
            var atom = Atom(pattern, ref position);
            atoms.Add(Quantified(atom, pattern, ref position));
        }

        return SchemaGen.All(atoms).Select(string.Concat);
    }

    private static Gen<string> Atom(string pattern, ref int position)
    {
        var c = pattern[position++];
        switch (c)
        {
            case '(':
                position += pattern.AsSpan(position).StartsWith("?:") ? 2 : 0;
                var group = Alternatives(pattern, ref position);
                position++; // ')'
                return group;
            case '[':
                var end = position;
                while (pattern[end] != ']' || pattern[end - 1] == '\\')
                {
                    end++;
                }

                var set = new Regex($"^[{pattern[position..end]}]$", RegexOptions.CultureInvariant);
                position = end + 1;
                var members = Plain.Concat(Hostile).Where(c => set.IsMatch(c)).ToArray();
                return Gen.OneOf(members);
            case '\\' when pattern[position] != 'u':
                // A class escape such as \d or \S: the pool's characters it matches.
                var escape = new Regex($"^\\{pattern[position++]}$", RegexOptions.CultureInvariant);
                return Gen.OneOf([.. Plain.Concat(Hostile).Where(c => escape.IsMatch(c))]);
            case '\\':
                return Gen.Const(Escape(pattern, ref position));
            default:
                return Gen.Const(c.ToString());
        }
    }

    private static string Escape(string pattern, ref int position)
    {
        position++; // 'u'
        var code = int.Parse(pattern.AsSpan(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        position += 4;
        return ((char)code).ToString();
    }

    private static Gen<string> Quantified(Gen<string> atom, string pattern, ref int position)
    {
        var (min, max) = position < pattern.Length ? pattern[position] switch
        {
            '?' => (0, 1),
            '*' => (0, 24),
            '+' => (1, 24),
            '{' => Braces(pattern, position),
            _ => (1, 1),
        } : (1, 1);
        if (position < pattern.Length && pattern[position] is '?' or '*' or '+' or '{')
        {
            position = pattern[position] == '{' ? pattern.IndexOf('}', position) + 1 : position + 1;
        }

        return min == 1 && max == 1 ? atom : Gen.Int[min, max].SelectMany(count => atom.Array[count]).Select(string.Concat);
    }

    private static (int, int) Braces(string pattern, int position)
    {
        var bounds = pattern[(position + 1)..pattern.IndexOf('}', position)].Split(',');
        var min = int.Parse(bounds[0], CultureInfo.InvariantCulture);
        return (min, bounds.Length == 1 ? min : bounds[1].Length == 0 ? min + 24 : int.Parse(bounds[1], CultureInfo.InvariantCulture));
    }
}
