using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CoroutineGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoroutineGen.Generators.Parsing;

/// <summary>
/// The template's XML documentation comment, for the factory: callers hover and complete the factory, not the
/// template, so the factory carries what the template's author wrote. Read from the <c>///</c> lines in front of the
/// template (whatever the project's documentation mode, in which the compiler may not have parsed them as XML), as
/// its top-level elements, without the inbox's <c>&lt;param&gt;</c> (a <c>&lt;paramref&gt;</c> to it becomes
/// <c>&lt;c&gt;inbox&lt;/c&gt;</c>). A comment that is not well-formed XML gives none: the factory then gets the
/// generator's own sentence.
/// </summary>
internal static class TemplateDocumentation
{
    public static EquatableArray<DocElement> Read(MethodDeclarationSyntax syntax, string inboxName)
    {
        var text = new StringBuilder();
        foreach (var trivia in syntax.GetLeadingTrivia())
        {
            if (!trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) && !trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
            {
                continue;
            }

            foreach (var line in trivia.ToFullString().Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("///", System.StringComparison.Ordinal))
                {
                    var content = trimmed.Substring(3);
                    text.Append(content.StartsWith(" ", System.StringComparison.Ordinal) ? content.Substring(1) : content).Append('\n');
                }
            }
        }

        if (text.Length == 0)
        {
            return EquatableArray<DocElement>.Empty;
        }

        XElement root;
        try
        {
            root = XElement.Parse("<doc>" + text.ToString().TrimEnd('\n') + "</doc>", LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return EquatableArray<DocElement>.Empty;
        }

        foreach (var reference in root.Descendants("paramref").Where(p => (string?)p.Attribute("name") == inboxName).ToList())
        {
            reference.ReplaceWith(new XElement("c", inboxName));
        }

        var elements = new List<DocElement>();
        foreach (var element in root.Elements())
        {
            if (element.Name.LocalName == "param" && (string?)element.Attribute("name") == inboxName)
            {
                continue;
            }

            var inner = string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));
            elements.Add(new DocElement(element.Name.LocalName, element.ToString(SaveOptions.DisableFormatting), inner));
        }

        return elements.ToEquatableArray();
    }
}

/// <summary>A top-level element of a template's documentation comment: its name, its XML, and its content.</summary>
internal sealed record DocElement(string Name, string Xml, string Inner);
